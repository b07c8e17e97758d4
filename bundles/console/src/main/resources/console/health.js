// The Health page: what the host already exposes: DeviceInfo's system information, each plugin's
// state judged as the host's plugin health check judges it, and whether Sessions reaches its database.
import {el, replace, bytes, duration, describe} from './dom.js';

const DATABASE_UNAVAILABLE = -31043;

export class HealthPage {
  constructor(root, connection) {
    this.root = root;
    this.connection = connection;
  }

  async load() {
    const [system, plugins, database] = await Promise.all([
      this.connection.call('DeviceInfo.1.systeminfo').catch(e => ({error: e})),
      this.connection.call('Controller.1.status').catch(e => ({error: e})),
      this.database(),
    ]);
    replace(this.root,
      el('h2', {}, 'Health'),
      el('section', {class: 'cards'},
        this.systemCard(system),
        el('div', {class: 'card database ' + database.level},
          el('h3', {}, 'Database'), el('p', {class: 'level'}, database.level), el('p', {}, database.text)),
        this.pluginsCard(plugins)),
      el('p', {}, el('button', {onclick: () => this.load()}, 'Check again')));
  }

  systemCard(system) {
    if (system.error) {
      return el('div', {class: 'card warn'}, el('h3', {}, 'Host'), el('p', {}, describe(system.error)));
    }
    const used = system.totalram - system.freeram;
    return el('div', {class: 'card ok system'},
      el('h3', {}, 'Host'),
      el('dl', {},
        el('dt', {}, 'Version'), el('dd', {class: 'version'}, system.version),
        el('dt', {}, 'Name'), el('dd', {}, system.devicename),
        el('dt', {}, 'Uptime'), el('dd', {}, duration(system.uptime)),
        el('dt', {}, 'Memory'), el('dd', {}, bytes(used) + ' used of ' + bytes(system.totalram)),
        el('dt', {}, 'CPU load'), el('dd', {}, system.cpuload + ' %'),
        el('dt', {}, 'Time'), el('dd', {}, system.time)));
  }

  pluginsCard(plugins) {
    if (plugins.error) {
      return el('div', {class: 'card warn'}, el('h3', {}, 'Plugins'), el('p', {}, describe(plugins.error)));
    }
    const lines = plugins.map(p => ({plugin: p, level: level(p)}));
    const worst = lines.some(l => l.level === 'critical') ? 'critical' : lines.some(l => l.level === 'warn') ? 'warn' : 'ok';
    return el('div', {class: 'card plugins-health ' + worst},
      el('h3', {}, 'Plugins'), el('p', {class: 'level'}, worst),
      el('ul', {}, lines.map(l => el('li', {class: l.level},
        l.plugin.callsign, ': ', l.plugin.state, l.plugin.reason ? ' (' + l.plugin.reason + ')' : ''))));
  }

  /** A read that needs the database: "unavailable" only when Sessions says it cannot reach it. */
  async database() {
    try {
      await this.connection.call('Sessions.1.orders', {status: 'terminating'});
      return {level: 'ok', text: 'Sessions reaches its database'};
    } catch (e) {
      if (e.code === DATABASE_UNAVAILABLE) return {level: 'critical', text: describe(e)};
      return {level: 'warn', text: 'Sessions did not answer: ' + describe(e)};
    }
  }
}

/** As the host's "Switchboard plugins" check: a plugin meant to run that failed is critical, one not running a warning. */
function level(plugin) {
  const meantToRun = String(plugin.startmode || 'Activated').toLowerCase() === 'activated';
  const state = String(plugin.state).toLowerCase();
  if (!meantToRun || state === 'activated') return 'ok';
  return plugin.reason === 'InitializationFailed' ? 'critical' : 'warn';
}
