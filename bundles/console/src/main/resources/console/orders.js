// The Orders page: orders with status, deposit, use and what remains, filtered by status; per order
// its sessions and usage over time; the live connections from connchange events; the operator's actions.
import {el, replace, bytes, time, describe} from './dom.js';
import {usageBars} from './charts.js';

const SESSIONS = 'Sessions';
const STATUSES = ['', 'pending', 'activating', 'active', 'suspending', 'suspended', 'terminating', 'terminated'];
const SAMPLE_PERIOD = 2000;

export class OrdersPage {
  constructor(root, connection, status) {
    this.root = root;
    this.connection = connection;
    this.status = status;
    this.orders = new Map();
    this.products = new Map(); // id -> the product once read (null while it is read)
    this.live = new Map(); // session id -> connchange
    this.selected = null;
    this.samples = [];
    this.filter = el('select', {id: 'order-filter', 'aria-label': 'Show orders of status', onchange: () => this.load()},
      STATUSES.map(s => el('option', {value: s}, s || 'every status')));
    this.table = el('tbody');
    this.detail = el('section', {class: 'order-detail', hidden: true, 'aria-live': 'polite'});
    this.liveList = el('tbody');
    this.offerings = el('datalist', {id: 'known-offerings'});
    this.productList = el('tbody');
    this.offering = el('input', {id: 'new-offering', placeholder: 'offering id', 'aria-label': 'Offering id', list: 'known-offerings'});
    this.deposit = el('input', {id: 'new-deposit', placeholder: 'deposit', inputmode: 'numeric', 'aria-label': 'Deposit'});
    this.placeButton = el('button', {id: 'place-order', onclick: () => this.place()}, 'Place order');
    this.access = el('div', {class: 'access', hidden: true});
    replace(root,
      el('h2', {}, 'Products'),
      el('table', {class: 'products'},
        el('thead', {}, el('tr', {}, ['Product', 'Id', 'Side', 'Service', 'Offerings ordered'].map(h => el('th', {}, h)))),
        this.productList),
      this.offerings,
      el('h2', {}, 'Orders'),
      el('div', {class: 'toolbar'}, el('label', {}, 'Status ', this.filter),
        el('span', {class: 'place'}, this.offering, this.deposit, this.placeButton)),
      this.access,
      el('table', {class: 'orders'},
        el('thead', {}, el('tr', {}, ['Order', 'Product', 'Client key', 'Status', 'Deposit', 'Payments', 'Used', 'Remaining',
          'Units', 'Up', 'Down', ''].map(h => el('th', {}, h)))),
        this.table),
      this.detail,
      el('h2', {}, 'Live connections'),
      el('table', {class: 'live'},
        el('thead', {}, el('tr', {}, ['Product', 'Order', 'Connection', 'Session'].map(h => el('th', {}, h)))),
        this.liveList));
  }

  async load() {
    this.mayAct = await this.connection.allows('Sessions.1.suspend', {order: ''});
    this.mayPlace = await this.connection.allows('Sessions.1.placeOrder', {offering: ''});
    this.placeButton.disabled = !this.mayPlace;
    await this.connection.register(SESSIONS, 'statuschange');
    await this.connection.register(SESSIONS, 'connchange');
    const params = this.filter.value ? {status: this.filter.value} : {};
    const orders = await this.connection.call(SESSIONS + '.1.orders', params);
    this.orders.clear();
    this.table.replaceChildren();
    for (const order of orders) this.show(order);
    this.drawProducts();
    await this.loadLive(orders);
    if (this.selected) await this.select(this.selected);
  }

  /** The open sessions of the orders in use, once; connchange events keep the list after that. */
  async loadLive(orders) {
    this.live.clear();
    for (const order of orders.filter(o => o.status === 'active' || o.status === 'suspending' || o.status === 'terminating').slice(0, 50)) {
      const sessions = await this.connection.call(SESSIONS + '.1.sessions', {order: order.id}).catch(() => []);
      for (const s of sessions.filter(s => !s.stopped)) {
        this.live.set(s.id, {order: s.order, product: order.product, session: s.id, connection: s.connection});
      }
    }
    this.drawLive();
  }

  show(order) {
    if (this.filter.value && order.status !== this.filter.value) {
      const old = this.orders.get(order.id);
      if (old) old.row.remove();
      this.orders.delete(order.id);
      return;
    }
    let entry = this.orders.get(order.id);
    if (!entry) {
      entry = {row: el('tr', {'data-order': order.id})};
      this.orders.set(order.id, entry);
      this.table.append(entry.row);
    }
    entry.order = order;
    const remaining = order.deposit - order.cost;
    replace(entry.row,
      el('td', {class: 'id'}, el('button', {class: 'link', onclick: () => this.select(order.id)}, order.id)),
      el('td', {class: 'product'}, this.productName(order.product)),
      el('td', {}, order.clientKey),
      el('td', {class: 'status status-' + order.status}, order.status),
      el('td', {class: 'deposit'}, order.deposit),
      el('td', {class: 'payments'}, order.paymentsReceived),
      el('td', {class: 'used'}, order.cost),
      el('td', {class: 'remaining'}, remaining),
      el('td', {}, order.units),
      el('td', {}, bytes(order.bytesUp)),
      el('td', {class: 'down'}, bytes(order.bytesDown)),
      el('td', {class: 'actions'}, this.actions(order)));
    entry.row.className = 'status-' + order.status;
  }

  /** The product's name once read (its id until then); the rows are drawn again when it arrives. */
  productName(id) {
    if (this.products.has(id)) return this.products.get(id) ? this.products.get(id).name : id;
    this.products.set(id, null);
    this.connection.call(SESSIONS + '.1.product', {id}).then(product => {
      this.products.set(id, product);
      for (const other of this.orders.values()) {
        if (other.order.product === id) this.show(other.order);
      }
      this.drawProducts();
      this.drawLive();
    }).catch(() => {});
    return id;
  }

  /** The products of the orders listed, with the offerings they were ordered under. */
  drawProducts() {
    const offerings = new Map();
    for (const {order} of this.orders.values()) {
      if (!offerings.has(order.product)) offerings.set(order.product, new Set());
      if (order.offering) offerings.get(order.product).add(order.offering);
    }
    const products = [...this.products.values()].filter(p => p).sort((a, b) => a.name.localeCompare(b.name));
    replace(this.productList, products.length ? products.map(p => el('tr', {'data-product': p.id},
      el('td', {class: 'name'}, p.name), el('td', {class: 'id'}, p.id), el('td', {}, p.agent ? 'agent' : 'client'),
      el('td', {}, p.config && p.config.host ? p.config.host + ':' + (p.config.port || '') : p.serviceEndpoint || ''),
      el('td', {class: 'id'}, [...(offerings.get(p.id) || [])].join(', '))))
      : el('tr', {}, el('td', {colspan: 5}, 'No orders yet')));
    replace(this.offerings, [...offerings.values()].flatMap(set => [...set]).map(id => el('option', {value: id})));
  }

  actions(order) {
    const act = (verb, label, enabled) => el('button', {class: verb, disabled: !this.mayAct || !enabled,
      title: !this.mayAct ? 'your role may not change orders' : undefined,
      onclick: () => this.change(order, verb)}, label);
    const amount = el('input', {class: 'amount', size: 6, placeholder: 'amount', 'aria-label': 'Payment amount', disabled: !this.mayAct});
    const pay = el('button', {class: 'pay', disabled: !this.mayAct,
      title: !this.mayAct ? 'your role may not record payments' : undefined,
      onclick: () => this.pay(order, amount.value)}, 'Record payment');
    return [act('suspend', 'Suspend', order.status === 'active'), ' ',
      act('resume', 'Resume', order.status === 'suspended'), ' ',
      act('terminate', 'Terminate', order.status !== 'terminated' && order.status !== 'terminating'), ' ',
      amount, pay];
  }

  async change(order, verb) {
    const what = {suspend: 'Suspend order ' + order.id + '? Its connections are cut until it is resumed.',
      resume: 'Resume order ' + order.id + '?',
      terminate: 'Terminate order ' + order.id + '? Its connections are cut and it cannot be resumed.'}[verb];
    if (!confirm(what)) return;
    try {
      this.show(await this.connection.call(SESSIONS + '.1.' + verb, {order: order.id}));
      this.status(`Order ${order.id}: ${verb} done`);
    } catch (e) {
      this.status(`Order ${order.id}: ${verb} refused: ${describe(e)}`, true);
    }
  }

  async pay(order, text) {
    // a whole number goes as a number; anything else as typed, for Sessions to refuse with its reason
    const amount = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
    if (!confirm(`Record a payment of ${text} for order ${order.id}?`)) return;
    try {
      this.show(await this.connection.call(SESSIONS + '.1.recordPayment', {order: order.id, amount}));
      this.status(`Order ${order.id}: payment of ${text} recorded`);
    } catch (e) {
      this.status(`Order ${order.id}: payment refused: ${describe(e)}`, true);
    }
  }

  async place() {
    const text = this.deposit.value.trim();
    const deposit = /^-?\d+$/.test(text) ? Number(text) : text;
    if (!confirm(`Place an order of offering ${this.offering.value} with a deposit of ${text}?`)) return;
    try {
      const placed = await this.connection.call(SESSIONS + '.1.placeOrder', {offering: this.offering.value.trim(), deposit});
      this.show(placed.order);
      const message = JSON.stringify(placed.accessMessage, null, 2);
      const copy = el('button', {class: 'copy', onclick: () => navigator.clipboard.writeText(message)
        .then(() => this.status('Access message copied')).catch(e => this.status('Cannot copy: ' + e, true))}, 'Copy');
      replace(this.access, el('h3', {}, 'Access message of order ', placed.order.id),
        el('p', {}, 'Shown this once: the password is not stored in a form that can be shown again.'),
        el('pre', {class: 'access-message'}, message), copy,
        el('button', {onclick: () => { this.access.hidden = true; this.access.replaceChildren(); }}, 'Done'));
      this.access.hidden = false;
    } catch (e) {
      this.status('Order not placed: ' + describe(e), true);
    }
  }

  /** Shows an order's sessions and its usage over time. */
  async select(id) {
    if (this.selected !== id) this.samples = [];
    this.selected = id;
    const [order, sessions] = await Promise.all([
      this.connection.call(SESSIONS + '.1.order', {order: id}),
      this.connection.call(SESSIONS + '.1.sessions', {order: id}),
    ]);
    this.show(order);
    if (!this.samples.length) this.samples = history(sessions);
    this.samples.push({t: Date.now(), up: order.bytesUp, down: order.bytesDown});
    replace(this.detail,
      el('h3', {}, 'Order ', id),
      el('p', {}, 'Usage per interval (bytes down dark, up light): ', el('span', {class: 'usage-total'}, bytes(order.bytesDown), ' down, ', bytes(order.bytesUp), ' up')),
      usageBars(this.samples),
      el('table', {class: 'sessions'},
        el('thead', {}, el('tr', {}, ['Side', 'Connection', 'Client address', 'Started', 'Stopped', 'Up', 'Down'].map(h => el('th', {}, h)))),
        el('tbody', {}, sessions.filter(s => s.side === 'agent').map(s => el('tr', {},
          el('td', {}, s.side), el('td', {}, s.connection), el('td', {}, s.clientAddress || ''),
          el('td', {}, time(s.started)), el('td', {}, s.stopped ? time(s.stopped) : 'open'),
          el('td', {}, bytes(s.bytesUp)), el('td', {}, bytes(s.bytesDown)))))),
      el('button', {onclick: () => this.close()}, 'Close'));
    this.detail.hidden = false;
    if (!this.sampler) this.sampler = setInterval(() => this.sample().catch(() => {}), SAMPLE_PERIOD);
  }

  async sample() {
    if (this.selected && !this.detail.hidden) await this.select(this.selected);
  }

  close() {
    this.detail.hidden = true;
    this.selected = null;
    clearInterval(this.sampler);
    this.sampler = null;
  }

  async statusChanged(change) {
    try {
      this.show(await this.connection.call(SESSIONS + '.1.order', {order: change.order}));
    } catch (e) {
      this.status('Order ' + change.order + ' changed but cannot be read: ' + describe(e), true);
    }
  }

  connectionChanged(change) {
    if (change.command === 'start') this.live.set(change.session, change);
    else this.live.delete(change.session);
    this.drawLive();
  }

  drawLive() {
    const rows = [...this.live.values()].sort((a, b) => String(a.product).localeCompare(String(b.product)));
    replace(this.liveList, rows.length ? rows.map(c => el('tr', {'data-session': c.session},
      el('td', {}, this.products.get(c.product) ? this.products.get(c.product).name : c.product), el('td', {}, c.order), el('td', {}, c.connection), el('td', {}, c.session)))
      : el('tr', {}, el('td', {colspan: 4}, 'No open connections')));
  }
}

/**
 * Usage over time from what Sessions stored: each agent session's totals as of its last report
 * (its start plus its seconds), added up in time order.
 */
function history(sessions) {
  const points = [];
  for (const s of sessions.filter(s => s.side === 'agent')) {
    points.push({t: s.started, up: 0, down: 0});
    points.push({t: s.started + s.seconds * 1000, up: s.bytesUp, down: s.bytesDown});
  }
  points.sort((a, b) => a.t - b.t);
  const samples = [];
  let up = 0;
  let down = 0;
  for (const p of points) {
    up += p.up;
    down += p.down;
    samples.push({t: p.t, up, down});
  }
  return samples;
}
