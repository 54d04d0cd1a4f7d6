// The page's only link to the signaling server (protocol v1). No DOM here, so a test can load
// this module alone and hand it a fake WebSocket.

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const JITTER = 0.3;
const PING_MS = 20_000;
// A socket that neither opens nor gets its welcome in this time is treated as lost; some
// proxies hold a handshake open for minutes.
const WELCOME_TIMEOUT_MS = 10_000;

/** Close codes after which trying again cannot help; the value is the refusal's reason. */
const REFUSED = new Map([[4400, 'bad-room'], [4409, 'room-full']]);
const REFUSING_ERRORS = new Map([['BAD_ROOM', 'bad-room'], ['ROOM_FULL', 'room-full']]);

const SERVER_TYPES = new Set(['welcome', 'peer-joined', 'peer-left', 'offer', 'answer', 'candidate', 'pong', 'error']);

export const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Emits one event per server message, named after its `type` (detail: the message), and
 * `state` events (detail: {state, ...}) where state is one of
 * idle | connecting | online | reconnecting | refused | closed.
 */
export class SignalingClient extends EventTarget {
  #base;
  #WebSocket;
  #random;
  #room = null;
  #name = '';
  #ws = null;
  #state = 'idle';
  #attempt = 0;
  #retryTimer = null;
  #welcomeTimer = null;
  #pingTimer = null;
  #heardSincePing = true;
  #refusal = null;
  #maxMessageBytes = Infinity;

  /**
   * @param {string|URL} baseUrl ws: or wss: URL that `signal/{room}` is resolved against.
   * @param {{WebSocket?: typeof WebSocket, random?: () => number}} [options] seams for tests.
   */
  constructor(baseUrl, options = {}) {
    super();
    this.#base = new URL(baseUrl);
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#random = options.random ?? Math.random;
  }

  get state() { return this.#state; }
  get room() { return this.#room; }

  connect(room, name = '') {
    this.#teardown();
    this.#room = room;
    this.#name = name;
    this.#attempt = 0;
    this.#open();
  }

  /** Returns false when the message could not be sent now; signals are not queued across sockets. */
  send(message) {
    const ws = this.#ws;
    if (!ws || ws.readyState !== this.#WebSocket.OPEN) {
      return false;
    }
    const text = JSON.stringify(message);
    // Over the limit the server would close the socket with 1009 and everyone would rebuild.
    if (text.length * 3 > this.#maxMessageBytes && new TextEncoder().encode(text).length > this.#maxMessageBytes) {
      console.warn(`signaling: not sending a ${message.type} over ${this.#maxMessageBytes} bytes`);
      return false;
    }
    ws.send(text);
    return true;
  }

  leave() {
    this.send({ type: 'bye' });
    this.#teardown();
    this.#setState('closed');
  }

  /** Skips the rest of a backoff wait, e.g. when the browser reports it is back online. */
  retryNow() {
    if (this.#state === 'reconnecting') {
      clearTimeout(this.#retryTimer);
      this.#open();
    }
  }

  #open() {
    this.#refusal = null;
    this.#setState('connecting', { attempt: this.#attempt });
    const url = new URL(`signal/${encodeURIComponent(this.#room)}`, this.#base);
    if (this.#name) {
      url.searchParams.set('name', this.#name);
    }
    let ws;
    try {
      ws = new this.#WebSocket(url.href);
    } catch (err) {
      console.error('signaling: cannot open', err);
      this.#scheduleRetry({ code: 0, reason: String(err) });
      return;
    }
    this.#ws = ws;
    ws.onopen = () => ws === this.#ws && this.#startPing();
    ws.onmessage = (event) => ws === this.#ws && this.#receive(event.data);
    ws.onclose = (event) => ws === this.#ws && this.#closed(event.code, event.reason);
    // The close event that always follows carries everything useful.
    ws.onerror = () => {};
    this.#welcomeTimer = setTimeout(() => this.#lost('no welcome in time'), WELCOME_TIMEOUT_MS);
  }

  #receive(data) {
    this.#heardSincePing = true;
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('signaling: ignoring a frame that is not JSON');
      return;
    }
    if (!message || !SERVER_TYPES.has(message.type)) {
      console.warn('signaling: ignoring message of unknown type', message?.type);
      return;
    }
    switch (message.type) {
      case 'welcome':
        clearTimeout(this.#welcomeTimer);
        this.#attempt = 0;
        this.#maxMessageBytes = message.limits?.maxMessageBytes ?? Infinity;
        this.#setState('online', { peer: message.peer });
        break;
      case 'error':
        // The close that follows may arrive without its code (a proxy in between), so remember.
        this.#refusal = REFUSING_ERRORS.get(message.code) ?? this.#refusal;
        break;
    }
    this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
  }

  #closed(code, reason) {
    const refusal = REFUSED.get(code) ?? this.#refusal;
    this.#detach();
    if (refusal) {
      this.#setState('refused', { reason: refusal, code });
    } else {
      this.#scheduleRetry({ code, reason });
    }
  }

  /** For a socket that may be dead without knowing it: waiting for its close could take minutes. */
  #lost(why) {
    console.warn(`signaling: ${why}; reconnecting`);
    this.#detach();
    this.#scheduleRetry({ code: 0, reason: why });
  }

  #scheduleRetry(cause) {
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.#attempt);
    const delayMs = Math.round(delay * (1 + JITTER * (2 * this.#random() - 1)));
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => this.#open(), delayMs);
    this.#setState('reconnecting', { ...cause, delayMs, retryAt: Date.now() + delayMs });
  }

  #startPing() {
    this.#heardSincePing = true;
    this.#pingTimer = setInterval(() => {
      // Anything heard since the last ping proves the socket alive; silence through a whole
      // interval means the pong never came.
      if (!this.#heardSincePing) {
        this.#lost('no pong');
        return;
      }
      this.#heardSincePing = false;
      this.send({ type: 'ping' });
    }, PING_MS);
  }

  #detach() {
    clearTimeout(this.#welcomeTimer);
    clearInterval(this.#pingTimer);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState === this.#WebSocket.CONNECTING) {
        // Closing a socket that is still connecting makes browsers log an error; let it open first.
        ws.onopen = () => ws.close();
      } else {
        ws.onopen = null;
        ws.close();
      }
    }
  }

  #teardown() {
    clearTimeout(this.#retryTimer);
    this.#detach();
  }

  #setState(state, detail = {}) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: { state, ...detail } }));
  }
}
