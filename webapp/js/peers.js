// The full mesh: one RTCPeerConnection per other member, each renegotiating with the W3C
// "perfect negotiation" pattern. No DOM here; everything the page shows leaves as events.
import { FileChannel } from './files.js';

// The member who was there first waits for the newcomer's offer before adding anything of its
// own, so that the usual join needs one offer, not two colliding ones. If no offer comes, it
// stops waiting and negotiates itself.
const WAIT_FOR_OFFER_MS = 10_000;
const CHAT_CHANNEL = { negotiated: true, id: 0, ordered: true };
const FILE_CHANNEL = { negotiated: true, id: 1, ordered: true };

/**
 * Events (detail always carries `peer`, the remote id):
 * `peer-added` {name}, `peer-removed`, `peer-state` {connection, channel, left},
 * `chat` {text}, `track` {stream, video, audio}, `transfer` (see files.js), `stats` {rttMs, route},
 * `failure` {error, during}.
 */
export class PeerMesh extends EventTarget {
  #peers = new Map();
  #iceServers = [];
  #iceTransportPolicy;
  #sendSignal;
  #stream = null;
  #tracks = { audio: null, video: null };

  /**
   * @param {(message: object) => boolean} sendSignal delivers an envelope to the server.
   * @param {{relayOnly?: boolean}} [options] `relayOnly`: connect through TURN only, to test a relay.
   */
  constructor(sendSignal, { relayOnly = false } = {}) {
    super();
    this.#sendSignal = sendSignal;
    this.#iceTransportPolicy = relayOnly ? 'relay' : 'all';
  }

  get ids() { return [...this.#peers.keys()]; }

  nameOf(id) { return this.#peers.get(id)?.name ?? ''; }

  localTrack(kind) { return this.#tracks[kind]; }

  /** What a connection setting up late must send: the tracks as they are now. */
  localMedia() { return { tracks: { ...this.#tracks }, stream: this.#stream }; }

  /**
   * ICE servers come only from the welcome; strip nulls, which RTCIceServer would read as "null".
   * Connections already up keep theirs but take the new ones for their next ICE restart, as TURN
   * credentials in a welcome may be short-lived.
   */
  configure(iceServers) {
    this.#iceServers = (Array.isArray(iceServers) ? iceServers : []).map(({ urls, username, credential }) => ({
      urls,
      ...(typeof username === 'string' && { username }),
      ...(typeof credential === 'string' && { credential }),
    }));
    for (const peer of this.#peers.values()) {
      peer.useIceServers(this.#iceServers);
    }
  }

  /** @param {boolean} polite true for the member who joined earlier, who also waits to be offered. */
  add(id, name, polite) {
    this.remove(id);
    const configuration = { iceServers: this.#iceServers, iceTransportPolicy: this.#iceTransportPolicy };
    const peer = new Peer(this, id, name, polite, configuration);
    this.#peers.set(id, peer);
    this.emit('peer-added', id, { name: peer.name });
    peer.start();
  }

  remove(id, only = null) {
    const peer = this.#peers.get(id);
    if (peer && (!only || peer === only)) {
      this.#peers.delete(id);
      peer.close();
      this.emit('peer-removed', id);
    }
  }

  /**
   * The server says the member is gone, but its signaling may just have dropped while the
   * direct link still carries chat; keep the connection until that link ends too.
   */
  left(id) {
    const peer = this.#peers.get(id);
    if (peer && !peer.markLeft()) {
      this.remove(id);
    }
  }

  closeAll() {
    for (const id of this.ids) {
      this.remove(id);
    }
  }

  receive(message) {
    const peer = this.#peers.get(message.from);
    if (peer) {
      peer.receive(message);
    } else {
      console.debug('peers: signal from a peer no longer here', message.type);
    }
  }

  /** Returns how many peers the message went to. */
  sendChat(text) {
    let sent = 0;
    for (const peer of this.#peers.values()) {
      sent += peer.sendChat(text) ? 1 : 0;
    }
    return sent;
  }

  /** Returns the transfer ids, one per peer; '' or null means everyone. */
  sendFile(prepared, to) {
    const targets = to ? [this.#peers.get(to)].filter(Boolean) : [...this.#peers.values()];
    return targets.map((peer) => peer.sendFile(prepared));
  }

  /** Replaces the local audio or video track on every connection; null stops sending that kind. */
  setLocalTrack(kind, track) {
    this.#stream ??= new MediaStream();
    const old = this.#tracks[kind];
    if (old) {
      this.#stream.removeTrack(old);
    }
    if (track) {
      this.#stream.addTrack(track);
    }
    this.#tracks[kind] = track;
    for (const peer of this.#peers.values()) {
      peer.setTrack(kind, track, this.#stream);
    }
    return this.#stream;
  }

  async refreshStats() {
    await Promise.all([...this.#peers.values()].map(async (peer) => {
      const stats = await peer.stats();
      if (stats && this.#peers.get(peer.id) === peer) {
        this.emit('stats', peer.id, stats);
      }
    }));
  }

  signal(message) {
    return this.#sendSignal(message);
  }

  emit(type, peer, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail: { peer, ...detail } }));
  }
}

/** One side of one pair. Names follow the W3C example so the pattern can be checked line by line. */
class Peer {
  id;
  name;
  polite;
  pc;
  stream = new MediaStream();
  #mesh;
  #chat = null;
  #files = null;
  #mine = { audio: null, video: null };
  #ready = false;
  #waitTimer = null;
  #left = false;
  #closed = false;
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  // Signals from one peer are handled strictly in arrival order: a candidate must not overtake
  // the offer it belongs to while that offer is still being applied.
  #inbox = Promise.resolve();

  constructor(mesh, id, name, polite, configuration) {
    this.#mesh = mesh;
    this.id = id;
    this.name = typeof name === 'string' ? name : '';
    this.polite = polite;
    const pc = new RTCPeerConnection(configuration);
    this.pc = pc;
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({ candidate }) => this.#signal({ type: 'candidate', candidate: candidate ? candidate.toJSON() : null });
    pc.oniceconnectionstatechange = () => {
      // Without signaling there is nobody to carry the restart's offer.
      if (pc.iceConnectionState === 'failed' && !this.#left) {
        pc.restartIce();
      }
    };
    pc.onconnectionstatechange = () => {
      this.#report();
      if (this.#left && ['disconnected', 'failed', 'closed'].includes(pc.connectionState)) {
        mesh.remove(id, this);
      }
    };
    pc.ontrack = ({ track }) => {
      this.stream.addTrack(track);
      this.#reportMedia();
    };
  }

  /** The newcomer sets up at once and so makes the first offer; the earlier member waits for it. */
  start() {
    if (this.polite) {
      this.#waitTimer = setTimeout(() => this.#setUp(), WAIT_FOR_OFFER_MS);
    } else {
      this.#setUp();
    }
    this.#report();
  }

  #setUp() {
    if (this.#ready || this.#closed) {
      return;
    }
    this.#ready = true;
    clearTimeout(this.#waitTimer);
    this.#chat = this.pc.createDataChannel('chat', CHAT_CHANNEL);
    this.#chat.onopen = this.#chat.onclose = () => this.#channelChanged();
    this.#chat.onmessage = ({ data }) => this.#chatMessage(data);
    const fileChannel = this.pc.createDataChannel('files', FILE_CHANNEL);
    this.#files = new FileChannel(fileChannel);
    this.#files.addEventListener('transfer', ({ detail }) => this.#mesh.emit('transfer', this.id, detail));
    const { tracks, stream } = this.#mesh.localMedia();
    for (const [kind, track] of Object.entries(tracks)) {
      if (track) {
        this.setTrack(kind, track, stream);
      }
    }
  }

  async setTrack(kind, track, stream) {
    if (!this.#ready) {
      return; // #setUp takes whatever the mesh holds by then
    }
    const transceiver = this.#mine[kind];
    try {
      if (!transceiver) {
        if (track) {
          // addTrack reuses a transceiver the remote offer created, so both directions share one m-line.
          const sender = this.pc.addTrack(track, stream);
          this.#mine[kind] = this.pc.getTransceivers().find((t) => t.sender === sender);
        }
        return;
      }
      // Keeping the transceiver and flipping its direction avoids a new m-line per toggle; the
      // direction change is what renegotiates, and it lets the remote track go muted.
      await transceiver.sender.replaceTrack(track);
      if (!this.#closed) {
        transceiver.direction = track ? 'sendrecv' : 'recvonly';
      }
    } catch (err) {
      this.#fail('changing media', err);
    }
  }

  receive(message) {
    this.#inbox = this.#inbox
      .then(() => (message.type === 'candidate' ? this.#onCandidate(message.candidate) : this.#onDescription(message)))
      .catch((err) => this.#fail(`handling ${message.type}`, err));
  }

  async #negotiate() {
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
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
    const pc = this.pc;
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
    const offerCollision = type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.polite && offerCollision;
    if (this.#ignoreOffer) {
      return;
    }
    if (type === 'answer' && pc.signalingState === 'stable') {
      console.debug('peers: ignoring an answer to an offer that was rolled back');
      return;
    }
    this.#isSettingRemoteAnswerPending = type === 'answer';
    try {
      await pc.setRemoteDescription({ type, sdp });
    } finally {
      this.#isSettingRemoteAnswerPending = false;
    }
    if (type === 'offer') {
      // The waiting member joins in now, so its channels and tracks ride on this very answer.
      this.#setUp();
      await pc.setLocalDescription();
      this.#sendDescription();
    }
    this.#reportMedia();
  }

  /**
   * Whether the remote sends video is read from the negotiated directions, not from the
   * track's muted flag: Chromium can leave a receiving track muted after a glare rollback.
   */
  #reportMedia() {
    if (this.stream.getTracks().length === 0) {
      return;
    }
    const receiving = (kind) => this.pc.getTransceivers().some((t) => t.receiver.track.kind === kind
      && (t.currentDirection === 'sendrecv' || t.currentDirection === 'recvonly'));
    this.#mesh.emit('track', this.id, { stream: this.stream, video: receiving('video'), audio: receiving('audio') });
  }

  async #onCandidate(candidate) {
    const endOfCandidates = !candidate || !candidate.candidate;
    try {
      if (!endOfCandidates) {
        await this.pc.addIceCandidate(candidate);
      } else if (this.pc.remoteDescription) {
        await this.pc.addIceCandidate();
      }
    } catch (err) {
      // Candidates of an offer we ignored are expected to fail, and some browsers reject the
      // end-of-candidates marker; neither is worth more than a debug line.
      if (!this.#ignoreOffer && !endOfCandidates) {
        throw err;
      }
      console.debug('peers: candidate not applied', err.message);
    }
  }

  #sendDescription() {
    // sLD() may have made an answer instead of an offer if an offer slipped in; send what it made.
    const { type, sdp } = this.pc.localDescription;
    this.#signal({ type, sdp });
  }

  #signal(message) {
    if (!this.#closed) {
      this.#mesh.signal({ ...message, to: this.id });
    }
  }

  sendChat(text) {
    if (this.#chat?.readyState !== 'open') {
      return false;
    }
    this.#chat.send(JSON.stringify({ kind: 'chat', text }));
    return true;
  }

  sendFile(prepared) {
    if (!this.#files) {
      this.#setUp(); // a file for someone who has not offered yet: stop waiting
    }
    return this.#files.send(prepared);
  }

  #chatMessage(data) {
    try {
      const message = JSON.parse(data);
      if (message?.kind === 'chat' && typeof message.text === 'string') {
        this.#mesh.emit('chat', this.id, { text: message.text });
      }
    } catch {
      console.warn('peers: ignoring a chat message that is not JSON');
    }
  }

  #channelChanged() {
    this.#report();
    if (this.#left && this.#chat.readyState === 'closed') {
      this.#mesh.remove(this.id, this);
    }
  }

  /** Returns whether the connection is worth keeping without signaling. */
  markLeft() {
    this.#left = true;
    this.#report();
    return this.#chat?.readyState === 'open';
  }

  #report() {
    this.#mesh.emit('peer-state', this.id, {
      connection: this.pc.connectionState,
      channel: this.#chat?.readyState ?? 'connecting',
      left: this.#left,
    });
  }

  useIceServers(iceServers) {
    if (this.#closed) {
      return;
    }
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch (err) {
      // The connection works on with the servers it has; only a later ICE restart could miss them.
      console.warn('peers: keeping the old ICE servers for', this.id, err.message);
    }
  }

  /** Round-trip time and route of the candidate pair in use, or null before there is one. */
  async stats() {
    if (this.#closed) {
      return null;
    }
    let report;
    try {
      report = await this.pc.getStats();
    } catch {
      return null; // closed while asking
    }
    let pair = null;
    report.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        pair = report.get(s.selectedCandidatePairId) ?? pair;
      }
    });
    // Firefox has no transport stats; it marks the pair itself.
    report.forEach((s) => {
      if (!pair && s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) {
        pair = s;
      }
    });
    if (!pair) {
      return { rttMs: null, route: null };
    }
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    const relayed = local?.candidateType === 'relay' || remote?.candidateType === 'relay';
    return {
      rttMs: typeof pair.currentRoundTripTime === 'number' ? pair.currentRoundTripTime * 1000 : null,
      route: relayed ? 'relayed' : 'direct',
    };
  }

  close() {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    clearTimeout(this.#waitTimer);
    this.#files?.close();
    const pc = this.pc;
    pc.onnegotiationneeded = pc.onicecandidate = pc.oniceconnectionstatechange = null;
    pc.onconnectionstatechange = pc.ontrack = null;
    if (this.#chat) {
      this.#chat.onopen = this.#chat.onclose = this.#chat.onmessage = null;
    }
    pc.close();
    for (const track of this.stream.getTracks()) {
      track.stop();
    }
  }

  #fail(during, error) {
    if (this.#closed) {
      return; // work cut short by close() is not a failure
    }
    this.#mesh.emit('failure', this.id, { during, error });
  }
}
