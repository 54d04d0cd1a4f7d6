// The membership a resume would continue: our id, the latest single-use token, how many member
// messages arrived since its welcome, and the signals waiting for the socket to come back.

// Signals made while the socket is down wait for a resume. Past this many they are dropped, not the
// membership: the page comes back under its id all the same and starts those negotiations again.
const OUTBOX_LIMIT = 500;
/** What the server keeps for a member while it is away, and so counts for a resume. */
const MEMBER_TYPES = new Set(['peer-joined', 'peer-left', 'offer', 'answer', 'candidate']);
/** What is worth holding while the socket is down: a resume delivers it under the same id. */
const RELAYED_TYPES = new Set(['offer', 'answer', 'candidate']);

export class Membership {
  peer = null;
  /** Single-use: only the latest is worth anything. */
  token = null;
  received = 0;
  #outbox = [];
  // Signals were thrown away while the socket was down (too many of them).
  #overflowed = false;

  /** Counts what the server counts, so that a resume replays exactly what this side missed. */
  heard(type) {
    if (MEMBER_TYPES.has(type)) {
      this.received += 1;
    }
  }

  /**
   * Takes a welcome; returns the held signals to write first if it resumed this membership, and
   * whether signals of this membership went missing on our side (`heldDropped`). Checked here too,
   * not only trusted: held signals must never go out under another id. After a restart (`lost`)
   * nothing held is sent: its members may not be back yet, and the page starts what was under way
   * again instead, which an old signal arriving late would only confuse.
   */
  welcomed(message) {
    const resumed = message.resumed === true && this.peer !== null && message.peer === this.peer;
    const restarted = resumed && message.lost === true;
    const held = resumed && !restarted ? this.#outbox : [];
    const heldDropped = resumed && (this.#overflowed || (restarted && this.#outbox.length > 0));
    this.#outbox = [];
    this.#overflowed = false;
    this.received = 0;
    this.peer = message.peer;
    this.token = typeof message.resume === 'string' && message.resume ? message.resume : null;
    return { resumed, held, heldDropped };
  }

  /** Keeps a signal for a resume; false when it cannot be delivered any more. */
  hold(type, text) {
    if (this.token === null || !RELAYED_TYPES.has(type)) {
      return false;
    }
    if (this.#overflowed || this.#outbox.length >= OUTBOX_LIMIT) {
      // The negotiations these belong to are half told now; the page starts them again once back.
      if (!this.#overflowed) {
        console.warn('signaling: too many signals while disconnected; dropping them');
      }
      this.#outbox = [];
      this.#overflowed = true;
      return false;
    }
    this.#outbox.push(text);
    return true;
  }

  /** Ends the membership on our side: nothing of it is resumed or delivered any more. */
  forget() {
    this.peer = null;
    this.token = null;
    this.#outbox = [];
    this.#overflowed = false;
  }
}
