// JSON-RPC over the host's WebSocket, with the token offered as a subprotocol value (a browser cannot
// set headers on a WebSocket). Reconnects when the socket is lost and registers the events again.

export class RpcError extends Error {
  constructor(error) {
    super(error.message);
    this.code = error.code;
    this.data = error.data;
  }
}

/** Codes the host answers when a call is not allowed, or its token not valid. */
export const NOT_ALLOWED = -32604;

export class Connection {
  /**
   * @param token   the token, sent with every call
   * @param onState called with 'connecting', 'open', 'lost' (will reconnect) or 'refused' (token not valid)
   * @param onEvent called with (event, params) for every registered event
   */
  constructor(token, onState, onEvent) {
    this.token = token;
    this.onState = onState;
    this.onEvent = onEvent;
    this.nextId = 1;
    this.pending = new Map();
    this.events = new Map(); // id -> {callsign, event, socket it is registered on}
    this.retry = 0;
    this.stopped = false;
  }

  async open() {
    this.onState('connecting');
    const verdict = await this.probe();
    if (verdict === 'refused') {
      this.stopped = true;
      this.onState('refused');
      return;
    }
    if (verdict === 'unreachable') {
      this.lost();
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(scheme + '//' + location.host + '/jsonrpc', ['jsonrpc', this.token]);
    this.socket = socket;
    socket.onopen = () => {
      this.retry = 0;
      this.onState('open');
    };
    socket.onmessage = message => this.receive(message.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const {reject} of this.pending.values()) reject(new RpcError({code: 0, message: 'the connection to the host was lost'}));
      this.pending.clear();
      this.lost();
    };
  }

  lost() {
    if (this.stopped) return;
    this.onState('lost');
    const delay = Math.min(5000, 500 * 2 ** this.retry++);
    setTimeout(() => this.open(), delay);
  }

  /**
   * Asks over HTTP whether the host is there and takes the token: a WebSocket that fails to open
   * does not tell why. 401 means the token is not valid (expired, revoked, unknown key).
   */
  async probe() {
    try {
      const answer = await fetch('/jsonrpc', {
        method: 'POST',
        headers: {'Authorization': 'Bearer ' + this.token, 'Content-Type': 'application/json'},
        body: JSON.stringify({jsonrpc: '2.0', id: 0, method: 'Controller.1.status@Controller'}),
        cache: 'no-store',
      });
      return answer.status === 401 ? 'refused' : 'up';
    } catch (e) {
      return 'unreachable';
    }
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (message.id !== undefined && this.pending.has(message.id)) {
      const {resolve, reject} = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) reject(new RpcError(message.error));
      else resolve(message.result);
      return;
    }
    if (typeof message.method === 'string') {
      const dot = message.method.indexOf('.');
      const registration = this.events.get(message.method.slice(0, dot));
      if (registration) this.onEvent(registration.event, message.params);
    }
  }

  /** Calls {@code designator}; resolves with the result, rejects with an RpcError. */
  call(designator, params) {
    return new Promise((resolve, reject) => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        reject(new RpcError({code: 0, message: 'not connected to the host'}));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, {resolve, reject});
      const request = {jsonrpc: '2.0', id, method: designator};
      if (params !== undefined) request.params = params;
      this.socket.send(JSON.stringify(request));
    });
  }

  /**
   * Registers for {@code event} of {@code callsign} on the current socket, once: the pages call this
   * each time they read everything again, after every reconnection too.
   */
  async register(callsign, event) {
    const id = 'console' + callsign.replace(/[^A-Za-z0-9]/g, '') + event;
    const registration = this.events.get(id) || {callsign, event, socket: null};
    this.events.set(id, registration);
    if (registration.socket === this.socket) return;
    await this.call(callsign + '.1.register', {event, id});
    registration.socket = this.socket;
  }

  /**
   * Whether the ACL lets this token call {@code designator}: the call is made with params the method
   * refuses, so nothing changes; only the host's "not allowed" answer means no.
   */
  async allows(designator, harmlessParams) {
    try {
      await this.call(designator, harmlessParams);
      return true;
    } catch (e) {
      return e.code !== NOT_ALLOWED;
    }
  }
}
