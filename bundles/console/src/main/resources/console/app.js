// The console: takes the token from the address (#token=..., never sent to the host) into the tab's
// sessionStorage, connects, and shows the pages.
import {el, replace, describe} from './dom.js';
import {Connection} from './rpc.js';
import {PluginsPage} from './plugins.js';
import {HealthPage} from './health.js';
import {OrdersPage} from './orders.js';

const RETRY_MILLIS = 2000;
const TOKEN_KEY = 'switchboard.console.token';
const HOW_TO = 'Run "bin/switchboard console" on the host (or "switchboard:console" in its shell) and open the address it prints.';

const banner = document.getElementById('connection');
const notice = document.getElementById('notice');

function takeToken() {
  const match = location.hash.match(/^#token=([A-Za-z0-9_.-]+)$/);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    // out of the address bar, the history and any screenshot
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The token's expiry (seconds since the epoch) as it says itself, or null; the host decides validity. */
function expiry(token) {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims.exp === 'number' ? claims.exp : null;
  } catch (e) {
    return null;
  }
}

function say(text, failure = false) {
  replace(notice, text);
  notice.className = failure ? 'notice failure' : 'notice';
}

function refuse(text) {
  sessionStorage.removeItem(TOKEN_KEY);
  replace(banner, el('strong', {}, text), ' ', HOW_TO);
  banner.className = 'banner refused';
  document.querySelectorAll('main section.page').forEach(page => { page.hidden = true; });
}

function start() {
  const token = takeToken();
  if (!token) {
    refuse('No token: this console needs one.');
    return;
  }
  let pages = null;
  const connection = new Connection(token, state => {
    banner.className = 'banner ' + state;
    if (state === 'connecting') replace(banner, 'Connecting to the host...');
    if (state === 'lost') replace(banner, 'The connection to the host is lost; reconnecting...');
    if (state === 'refused') {
      const exp = expiry(token);
      refuse(exp && exp * 1000 < Date.now()
        ? 'Your token expired at ' + new Date(exp * 1000).toISOString() + '.'
        : 'The host refused your token (expired, revoked or signed with a key it no longer has).');
    }
    if (state === 'open') {
      replace(banner, 'Connected');
      refresh(pages, connection);
    }
  }, (event, params) => {
    if (!pages) return;
    if (event === 'statechange') pages.plugins.stateChanged(params);
    if (event === 'statuschange') pages.orders.statusChanged(params);
    if (event === 'connchange') pages.orders.connectionChanged(params);
  });
  pages = {
    plugins: new PluginsPage(document.getElementById('plugins'), connection, say),
    health: new HealthPage(document.getElementById('health'), connection),
    orders: new OrdersPage(document.getElementById('orders'), connection, say),
  };
  for (const tab of document.querySelectorAll('nav button')) {
    tab.addEventListener('click', () => show(tab.dataset.page, pages));
  }
  connection.open();
}

/**
 * After (re)connecting everything is read again, so that what happened meanwhile shows. A host that
 * is still starting answers some calls with errors: a page that could not be read is read again.
 */
function refresh(pages, connection) {
  for (const [name, page] of Object.entries(pages)) {
    const socket = connection.socket;
    const attempt = () => page.load().then(() => {
      if (page.failed) say('');
      page.failed = false;
    }).catch(e => {
      page.failed = true;
      say(name + ': ' + describe(e) + '; trying again', true);
      if (connection.socket === socket) setTimeout(attempt, RETRY_MILLIS);
    });
    attempt();
  }
}

function show(name, pages) {
  for (const tab of document.querySelectorAll('nav button')) {
    tab.setAttribute('aria-selected', String(tab.dataset.page === name));
  }
  for (const page of document.querySelectorAll('main section.page')) page.hidden = page.id !== name;
  if (name === 'health') pages.health.load().catch(() => {});
}

// a new address pasted into this tab changes only the fragment: start again with its token
window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#token=')) location.reload();
});

start();
