// The page's only link to the signaling server (protocol v1). No DOM here, so a test can load
// this module alone and hand it a fake WebSocket. What a close means is in closes.js, what a
// resume needs in membership.js.
import { ANNOUNCING_ERRORS, refusalFor, retryAfter } from './closes.js';
import { Membership } from './membership.js';

const PING_MS = 20_000;
// A socket that neither opens nor gets its welcome in this time is treated as lost; some
// proxies hold a handshake open for minutes.
const WELCOME_TIMEOUT_MS = 10_000;
// How simulateDrop() closes: a private-use code, and no bye, so the server keeps our place.
const DROP_CODE = 4000;
// The server replays what it handed to the old socket beyond this count, i.e. what was in flight.
const RECEIVED_PARAM = 'received';
const BYE = JSON.stringify({ type: 'bye' });

const SERVER_TYPES = new Set(['welcome', 'peer-joined', 'peer-left', 'offer', 'answer', 'candidate', 'pong', 'error']);

export const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Emits one event per server message, named after its `type` (detail: the message; a `welcome`'s
 * also carries `heldDropped`: signals the page made while away were not sent, see membership.js),
 * and `state` events (detail: {state, ...}) where state is one of
 * idle | connecting | online | reconnecting | refused | closed.
 * `online` carries `resumed`: the server kept this member (same id) across a dropped socket, and
 * `lost`: it came back to a server that restarted, which forgot what was on its way.
 * `reconnecting` carries `cause`: going-away | restarting | busy | rate-limited | lost; while the
 * attempts after a deliberate close fail, the cause of that close is kept.
 * `refused` carries `code` and `reason`: bad-room | unauthorized | removed | room-closed | room-full,
 * or refused for another 44xx code; the page does not reconnect by itself after any of them.
 */
export class SignalingClient extends EventTarget {
  #base;
  #WebSocket;
  #random;
  #room = null;
  #name = '';
  #token = '';
  #ws = null;
  #state = 'idle';
  #attempt = 0;
  // Why the socket went, kept while the attempts after it fail for plainer reasons.
  #awayCause = null;
  #retryTimer = null;
  #welcomeTimer = null;
  #pingTimer = null;
  #heardSincePing = true;
  // Close code announced by an error on the current socket.
  #announced = null;
  #maxMessageBytes = Infinity;
  #membership = new Membership();

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
  /** The token the next reconnect would resume with, or null. */
  get resumeToken() { return this.#membership.token; }

  /**
   * Joins as a newcomer; nothing of an earlier membership is resumed.
   * @param {{token?: string}} [options] `token`: an access token sent on every connection attempt.
   */
  connect(room, name = '', { token = '' } = {}) {
    this.#teardown();
    this.#membership.forget();
    this.#room = room;
    this.#name = name;
    this.#token = token;
    this.#attempt = 0;
    this.#awayCause = null;
    this.#open();
  }

  /**
   * Returns false when the message was dropped. While the socket is down, signals wait for a
   * resume, which delivers them under the same id; if the server cannot resume they are dropped,
   * as they belong to an id the others have forgotten.
   */
  send(message) {
    const text = JSON.stringify(message);
    // Over the limit the server would close the socket with 1009 and everyone would rebuild.
    if (text.length * 3 > this.#maxMessageBytes && new TextEncoder().encode(text).length > this.#maxMessageBytes) {
      console.warn(`signaling: not sending a ${message.type} over ${this.#maxMessageBytes} bytes`);
      return false;
    }
    // Before the welcome the server may yet give us a new id, which these signals must not reach.
    if (this.#state === 'online' && this.#write(text)) {
      return true;
    }
    return this.#membership.hold(message.type, text);
  }

  leave() {
    this.#teardown();
    this.#membership.forget();
    this.#setState('closed');
  }

  /** Skips the rest of a backoff wait, e.g. when the browser reports it is back online. */
  retryNow() {
    if (this.#state === 'reconnecting') {
      clearTimeout(this.#retryTimer);
      this.#open();
    }
  }

  /**
   * Diagnostics hook: lets go of the socket the way a network failure would (no bye), so that the
   * ordinary reconnect-and-resume path runs.
   */
  simulateDrop() {
    if (this.#ws) {
      this.#lost('dropped on request', DROP_CODE);
    }
  }

  #open() {
    this.#announced = null;
    const membership = this.#membership;
    this.#setState('connecting', { attempt: this.#attempt, resuming: membership.token !== null });
    const url = new URL(`signal/${encodeURIComponent(this.#room)}`, this.#base);
    if (this.#name) {
      url.searchParams.set('name', this.#name);
    }
    if (this.#token) {
      url.searchParams.set('token', this.#token);
    }
    if (membership.token) {
      url.searchParams.set('resume', membership.token);
      url.searchParams.set(RECEIVED_PARAM, String(membership.received));
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
    ws.onopen = () => ws === this.#ws && this.#startPing(ws);
    ws.onmessage = (event) => ws === this.#ws && this.#receive(event.data);
    ws.onclose = (event) => ws === this.#ws && this.#closed(event.code, event.reason);
    // The close event that always follows carries everything useful.
    ws.onerror = () => {};
    this.#welcomeTimer = setTimeout(() => ws === this.#ws && this.#lost('no welcome in time'), WELCOME_TIMEOUT_MS);
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
    this.#membership.heard(message.type);
    let detail = message;
    switch (message.type) {
      case 'welcome':
        detail = this.#welcomed(message);
        break;
      case 'error':
        // The close that follows may arrive without its code (a proxy in between), so remember.
        this.#announced = ANNOUNCING_ERRORS.get(message.code) ?? this.#announced;
        if (message.code === 'RESUME_FAILED') {
          // The old id is gone for good; a fresh welcome follows on this very socket.
          this.#membership.forget();
        }
        break;
    }
    this.dispatchEvent(new CustomEvent(message.type, { detail }));
  }

  #welcomed(message) {
    clearTimeout(this.#welcomeTimer);
    const { resumed, held, heldDropped } = this.#membership.welcomed(message);
    this.#attempt = 0;
    this.#awayCause = null;
    this.#maxMessageBytes = message.limits?.maxMessageBytes ?? Infinity;
    // Before any listener can send, so that the others get our signals in the order we made them.
    for (const text of held) {
      this.#write(text);
    }
    this.#setState('online', { peer: message.peer, resumed, lost: resumed && message.lost === true });
    return { ...message, heldDropped };
  }

  #closed(code, reason) {
    const announced = this.#announced ?? code;
    const refusal = refusalFor(announced);
    this.#detach();
    if (refusal) {
      // Whatever refused us would refuse a resume too, and nothing may be resumed after it.
      this.#membership.forget();
      this.#setState('refused', { reason: refusal, code: announced });
    } else {
      this.#scheduleRetry({ code: announced, reason });
    }
  }

  /** For a socket that may be dead without knowing it: waiting for its close could take minutes. */
  #lost(why, closeCode) {
    console.warn(`signaling: ${why}; reconnecting`);
    // Only a welcomed socket's place can be resumed: its welcome told us the token.
    this.#detach({ bye: this.#state !== 'online', code: closeCode, reason: why });
    this.#scheduleRetry({ code: 0, reason: why });
  }

  #scheduleRetry({ code, reason }) {
    const { cause: now, delayMs } = retryAfter(code, this.#attempt, this.#random);
    // A restarting server refuses connections until it is up: that is still the restart.
    const cause = now === 'lost' && this.#awayCause ? this.#awayCause : now;
    this.#awayCause = cause;
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => this.#open(), delayMs);
    this.#setState('reconnecting', { code, reason, cause, delayMs, retryAt: Date.now() + delayMs });
  }

  #startPing(ws) {
    clearInterval(this.#pingTimer);
    this.#heardSincePing = true;
    this.#pingTimer = setInterval(() => {
      if (ws !== this.#ws) {
        return; // #detach stops this timer; a tick already queued must not touch the next socket
      }
      // Anything heard since the last ping proves the socket alive; silence through a whole
      // interval means the pong never came.
      if (!this.#heardSincePing) {
        this.#lost('no pong');
        return;
      }
      this.#heardSincePing = false;
      this.#write(JSON.stringify({ type: 'ping' }));
    }, PING_MS);
  }

  #write(text) {
    const ws = this.#ws;
    if (!ws || ws.readyState !== this.#WebSocket.OPEN) {
      return false;
    }
    ws.send(text);
    return true;
  }

  /**
   * Lets go of the current socket. `bye` for a place we will not come back to: without it the
   * server keeps that place for a resume, and the others see us leave only when the grace runs out.
   */
  #detach({ bye = false, code, reason } = {}) {
    clearTimeout(this.#welcomeTimer);
    clearInterval(this.#pingTimer);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      const close = () => {
        if (bye && ws.readyState === this.#WebSocket.OPEN) {
          ws.send(BYE);
        }
        return code ? ws.close(code, reason) : ws.close();
      };
      ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState === this.#WebSocket.CONNECTING) {
        // Closing a socket that is still connecting makes browsers log an error; let it open first.
        // By then the server may have made it a member, which the bye undoes.
        ws.onopen = close;
      } else {
        ws.onopen = null;
        close();
      }
    }
  }

  /** Ends the membership for good, on an open socket or on one that opens later. */
  #teardown() {
    clearTimeout(this.#retryTimer);
    this.#detach({ bye: true });
  }

  #setState(state, detail = {}) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: { state, ...detail } }));
  }
}
