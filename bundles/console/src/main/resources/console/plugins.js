// The Plugins page: every plugin with its state, live from statechange events; activate and
// deactivate; the configuration, editable, with the plugin's refusal next to the field; request
// rate, error rate and latency per plugin from the Controller's metrics.
import {el, replace, describe} from './dom.js';
import {sparkline} from './charts.js';

const SAMPLES = 60; // five minutes of samples, one every 5 s
const METRICS_PERIOD = 5000;

export class PluginsPage {
  constructor(root, connection, status) {
    this.root = root;
    this.connection = connection;
    this.status = status; // shows a line for the whole page
    this.rows = new Map(); // callsign -> {row, plugin}
    this.history = new Map(); // callsign -> [{t, requests, errors, latencySum}]
    this.latest = new Map(); // callsign -> {state, reason} of its last statechange
    this.mayChangeState = false;
    this.mayConfigure = false;
    this.table = el('tbody');
    replace(root,
      el('h2', {}, 'Plugins'),
      el('table', {class: 'plugins'},
        el('thead', {}, el('tr', {},
          el('th', {}, 'Callsign'), el('th', {}, 'Kind'), el('th', {}, 'State'), el('th', {}, 'Reason'),
          el('th', {}, 'Requests/s'), el('th', {}, 'Errors/s'), el('th', {}, 'Latency ms'), el('th', {}, ''))),
        this.table));
  }

  /** Reads everything again: at start and after a reconnection, so nothing missed stays missing. */
  async load() {
    this.mayChangeState = await this.connection.allows('Controller.1.activate', {});
    this.mayConfigure = await this.connection.allows('Controller.1.configuration', {});
    await this.connection.register('Controller', 'statechange');
    this.latest.clear();
    const plugins = await this.connection.call('Controller.1.status');
    const seen = new Set();
    for (const plugin of plugins) {
      seen.add(plugin.callsign);
      this.show(plugin);
    }
    for (const [callsign, entry] of this.rows) {
      if (!seen.has(callsign)) {
        entry.row.remove();
        entry.details.remove();
        this.rows.delete(callsign);
      }
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.sampleMetrics().catch(() => {}), METRICS_PERIOD);
      this.sampleMetrics().catch(() => {});
    }
  }

  /** A statechange event: the state and reason at once, then the rest (detail, configuration). */
  async stateChanged(change) {
    // the event is sent as the change is made: a status read at once may not show it yet
    this.latest.set(change.callsign, {state: change.state, reason: change.reason});
    const entry = this.rows.get(change.callsign);
    if (entry) {
      entry.plugin = {...entry.plugin, state: change.state, reason: change.reason};
      this.fill(entry);
    }
    try {
      const [plugin] = await this.connection.call('Controller.1.status@' + change.callsign);
      if (plugin) this.show(plugin);
    } catch (e) {
      if (!entry) await this.load();
    }
  }

  show(status) {
    const plugin = {...status, ...this.latest.get(status.callsign)};
    let entry = this.rows.get(plugin.callsign);
    if (!entry) {
      const row = el('tr', {'data-callsign': plugin.callsign});
      const details = el('tr', {class: 'details', hidden: true}, el('td', {colspan: 8}));
      entry = {row, details, plugin};
      this.rows.set(plugin.callsign, entry);
      const after = [...this.rows.keys()].sort().indexOf(plugin.callsign);
      const next = [...this.rows.keys()].sort()[after + 1];
      const before = next && this.rows.get(next);
      if (before) this.table.insertBefore(row, before.row);
      else this.table.append(row);
      row.after(details);
    }
    entry.plugin = plugin;
    this.fill(entry);
  }

  fill(entry) {
    const {plugin, row} = entry;
    const active = String(plugin.state).toLowerCase() === 'activated';
    const isController = plugin.callsign === 'Controller';
    const toggle = el('button', {
      class: 'toggle',
      disabled: isController || !this.mayChangeState,
      title: !this.mayChangeState ? 'your role may not change plugin states' : undefined,
      onclick: () => this.toggle(plugin.callsign, active),
    }, active ? 'Deactivate' : 'Activate');
    const open = el('button', {class: 'open', 'aria-expanded': String(!entry.details.hidden),
      onclick: () => this.toggleDetails(entry)}, 'Configuration');
    replace(row,
      el('td', {class: 'callsign'}, plugin.callsign),
      el('td', {class: 'kind'}, plugin.classname || ''),
      el('td', {class: 'state state-' + String(plugin.state).toLowerCase()}, plugin.state),
      el('td', {class: 'reason', title: plugin.detail || undefined}, plugin.reason || '', plugin.detail ? el('div', {class: 'detail'}, plugin.detail) : null),
      el('td', {class: 'rate'}), el('td', {class: 'errors'}), el('td', {class: 'latency'}),
      el('td', {class: 'actions'}, toggle, ' ', open));
    this.drawMetrics(plugin.callsign);
    if (!entry.details.hidden && !entry.editing) this.fillDetails(entry);
  }

  async toggle(callsign, active) {
    const verb = active ? 'deactivate' : 'activate';
    if (!confirm(`${active ? 'Deactivate' : 'Activate'} ${callsign}?`)) return;
    try {
      await this.connection.call('Controller.1.' + verb, {callsign});
      this.status(`${callsign}: ${verb} requested`);
    } catch (e) {
      this.status(`${callsign} was not ${verb}d: ${describe(e)}`, true);
    }
  }

  toggleDetails(entry) {
    entry.details.hidden = !entry.details.hidden;
    if (!entry.details.hidden) this.fillDetails(entry);
    this.fill(entry);
  }

  fillDetails(entry) {
    const {plugin, details} = entry;
    const configuration = plugin.configuration || {};
    const fields = el('div', {class: 'fields'});
    const inputs = new Map();
    for (const [key, value] of Object.entries(configuration)) {
      const input = el('input', {name: key, value: Array.isArray(value) ? value.join(',') : String(value ?? ''),
        'data-type': Array.isArray(value) ? 'array' : typeof value, disabled: !this.mayConfigure,
        type: value === '********' ? 'password' : 'text', oninput: () => { entry.editing = true; }});
      const error = el('span', {class: 'field-error', role: 'alert'});
      inputs.set(key, {input, error});
      fields.append(el('label', {}, el('span', {class: 'key'}, key), input, error));
    }
    const newKey = el('input', {class: 'new-key', placeholder: 'key', 'aria-label': 'New setting key', disabled: !this.mayConfigure});
    const newValue = el('input', {class: 'new-value', placeholder: 'value', 'aria-label': 'New setting value', disabled: !this.mayConfigure});
    const newError = el('span', {class: 'field-error', role: 'alert'});
    inputs.set('', {input: newValue, key: newKey, error: newError});
    fields.append(el('label', {class: 'new-setting'}, el('span', {class: 'key'}, newKey), newValue, newError));
    const save = el('button', {class: 'save', disabled: !this.mayConfigure,
      title: !this.mayConfigure ? 'your role may not change configurations' : undefined,
      onclick: () => this.save(entry, inputs)}, 'Save configuration');
    replace(details.firstChild,
      plugin.locator ? el('p', {class: 'locator'}, 'Bundle: ', plugin.locator, ' · startmode: ', plugin.startmode || '') : null,
      Object.keys(configuration).length ? null : el('p', {}, 'No configuration of its own yet.'),
      fields, save);
  }

  async save(entry, inputs) {
    const values = {};
    for (const [key, {input, error, key: newKey}] of inputs) {
      error.textContent = '';
      if (newKey) {
        // a setting added here: a whole number or a flag goes typed, as the shell command stores it
        if (newKey.value.trim()) values[newKey.value.trim()] = typed(input.value, /^-?\d+$/.test(input.value) ? 'number' : 'boolean');
      } else {
        values[key] = typed(input.value, input.dataset.type);
      }
    }
    try {
      await this.connection.call('Controller.1.configuration@' + entry.plugin.callsign, values);
      entry.editing = false;
      this.status(`${entry.plugin.callsign}: configuration saved`);
      const [plugin] = await this.connection.call('Controller.1.status@' + entry.plugin.callsign);
      if (plugin) this.show(plugin);
    } catch (e) {
      const errors = e.data && e.data.errors;
      if (errors) {
        for (const [key, why] of Object.entries(errors)) {
          const field = inputs.get(key) || [...inputs.values()].find(f => f.key && f.key.value.trim() === key);
          if (field) field.error.textContent = why;
        }
      }
      this.status(`${entry.plugin.callsign}: configuration refused: ${describe(e)}`, true);
    }
  }

  async sampleMetrics() {
    const metrics = await this.connection.call('Controller.1.metrics');
    const now = Date.now();
    const totals = new Map();
    for (const m of metrics) {
      const total = totals.get(m.callsign) || {t: now, requests: 0, errors: 0, latencySum: 0};
      total.requests += m.requests;
      total.errors += m.errors;
      total.latencySum += m.latency ? m.latency.summs : 0;
      totals.set(m.callsign, total);
    }
    for (const [callsign, total] of totals) {
      let history = this.history.get(callsign) || [];
      if (history.length && total.requests < history[history.length - 1].requests) history = []; // the host restarted
      history.push(total);
      if (history.length > SAMPLES + 1) history.shift();
      this.history.set(callsign, history);
      this.drawMetrics(callsign);
    }
  }

  drawMetrics(callsign) {
    const entry = this.rows.get(callsign);
    const history = this.history.get(callsign);
    if (!entry || !history || history.length < 2) return;
    const rates = [];
    const errors = [];
    const latency = [];
    for (let i = 1; i < history.length; i++) {
      const seconds = Math.max(0.001, (history[i].t - history[i - 1].t) / 1000);
      const requests = history[i].requests - history[i - 1].requests;
      rates.push(requests / seconds);
      errors.push((history[i].errors - history[i - 1].errors) / seconds);
      latency.push(requests > 0 ? (history[i].latencySum - history[i - 1].latencySum) / requests : 0);
    }
    replace(entry.row.querySelector('.rate'), sparkline(rates, 'req/s'));
    replace(entry.row.querySelector('.errors'), sparkline(errors, 'err/s'));
    replace(entry.row.querySelector('.latency'), sparkline(latency, 'ms', v => v.toFixed(2)));
  }
}

/**
 * The value as the configuration held it: a number stays a number when the text is one, a flag a flag;
 * anything else goes as the text typed, for the plugin to accept or refuse.
 */
function typed(text, type) {
  if (type === 'number' && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (type === 'array') return text === '' ? [] : text.split(',');
  return text;
}
