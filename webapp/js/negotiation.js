// Perfect negotiation for one RTCPeerConnection, named as in the W3C example so the pattern can be
// checked line by line, plus the candidates that come before the description they belong to.
// Knows nothing of channels, media or the DOM.

// A peer that sends candidates and never a description must not grow this without bound.
const MAX_EARLY_CANDIDATES = 200;

export class Negotiation {
  #pc;
  #polite;
  #send;
  #beforeAnswer;
  #applied;
  #fail;
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  // Candidates that arrived while there was no remote description yet (a peer may send them before
  // its offer or answer): addIceCandidate() would reject them, so they wait for the description.
  #early = [];
  // Signals from one peer are handled strictly in arrival order: a candidate must not overtake
  // the offer it belongs to while that offer is still being applied.
  #inbox = Promise.resolve();

  /**
   * @param {RTCPeerConnection} pc
   * @param {{polite: boolean, send: (message: object) => void, beforeAnswer: () => void,
   *          applied: () => void, fail: (during: string, error: Error) => void}} roles
   *   `beforeAnswer` runs once a remote offer is applied and before the answer is made, so that
   *   what it adds rides on that answer; `applied` after every remote description taken.
   */
  constructor(pc, { polite, send, beforeAnswer, applied, fail }) {
    this.#pc = pc;
    this.#polite = polite;
    this.#send = send;
    this.#beforeAnswer = beforeAnswer;
    this.#applied = applied;
    this.#fail = fail;
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({ candidate }) => send({ type: 'candidate', candidate: candidate ? candidate.toJSON() : null });
  }

  /** An offer, answer or candidate from the other side. */
  receive(message) {
    this.#inbox = this.#inbox
      .then(() => (message.type === 'candidate' ? this.#onCandidate(message.candidate) : this.#onDescription(message)))
      .catch((err) => this.#fail(`handling ${message.type}`, err));
  }

  /**
   * Starts again whatever negotiation was under way when its signals may have been lost (the
   * server restarted): an offer of ours, or the answer to it, is rolled back and made anew, and ICE
   * restarts if it is not connected. Queued behind the signals already received, so it never cuts
   * into applying one. A connection that is stable and connected is left alone.
   */
  restart() {
    this.#inbox = this.#inbox
      .then(() => this.#restart())
      .catch((err) => this.#fail('restarting negotiation', err));
  }

  detach() {
    this.#pc.onnegotiationneeded = this.#pc.onicecandidate = null;
    this.#early = [];
  }

  async #restart() {
    const pc = this.#pc;
    const iceUp = ['connected', 'completed'].includes(pc.iceConnectionState);
    if (pc.signalingState === 'closed' || (pc.signalingState === 'stable' && iceUp)) {
      return;
    }
    // Candidates kept for a description that will never come would not fit the next one.
    this.#early = [];
    if (pc.signalingState === 'have-local-offer' && !this.#makingOffer) {
      // Rolling back re-arms negotiationneeded for whatever that offer carried.
      await pc.setLocalDescription({ type: 'rollback' });
    } else if (pc.signalingState === 'have-remote-offer') {
      await pc.setRemoteDescription({ type: 'rollback' });
    }
    if (!iceUp) {
      pc.restartIce(); // fires negotiationneeded: the next offer carries new ICE credentials
    }
  }

  async #negotiate() {
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#sendDescription();
    } catch (err) {
      this.#fail('making an offer', err);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #onDescription({ type, sdp }) {
    if (type !== 'offer' && type !== 'answer') {
      return;
    }
    const pc = this.#pc;
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
    const offerCollision = type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite && offerCollision;
    if (this.#ignoreOffer) {
      return;
    }
    if (type === 'answer' && pc.signalingState === 'stable') {
      console.debug('negotiation: ignoring an answer to an offer that was rolled back');
      return;
    }
    this.#isSettingRemoteAnswerPending = type === 'answer';
    try {
      await pc.setRemoteDescription({ type, sdp });
    } finally {
      this.#isSettingRemoteAnswerPending = false;
    }
    await this.#addEarlyCandidates();
    if (type === 'offer') {
      this.#beforeAnswer();
      await pc.setLocalDescription();
      this.#sendDescription();
    }
    this.#applied();
  }

  async #onCandidate(candidate) {
    if (!this.#pc.remoteDescription) {
      if (this.#early.length >= MAX_EARLY_CANDIDATES) {
        console.warn('negotiation: dropping a candidate; too many came without a description');
        return;
      }
      this.#early.push({ candidate, duringIgnoredOffer: this.#ignoreOffer });
      return;
    }
    await this.#addCandidate(candidate, this.#ignoreOffer);
  }

  async #addEarlyCandidates() {
    const early = this.#early;
    this.#early = [];
    for (const { candidate, duringIgnoredOffer } of early) {
      await this.#addCandidate(candidate, duringIgnoredOffer);
    }
  }

  async #addCandidate(candidate, duringIgnoredOffer) {
    const endOfCandidates = !candidate || !candidate.candidate;
    try {
      if (!endOfCandidates) {
        await this.#pc.addIceCandidate(candidate);
      } else if (this.#pc.remoteDescription) {
        await this.#pc.addIceCandidate();
      }
    } catch (err) {
      // Candidates of an offer we ignored are expected to fail, and some browsers reject the
      // end-of-candidates marker; neither is worth more than a debug line.
      if (!duringIgnoredOffer && !endOfCandidates) {
        throw err;
      }
      console.debug('negotiation: candidate not applied', err.message);
    }
  }

  #sendDescription() {
    // sLD() may have made an answer instead of an offer if an offer slipped in; send what it made.
    const { type, sdp } = this.#pc.localDescription;
    this.#send({ type, sdp });
  }
}
