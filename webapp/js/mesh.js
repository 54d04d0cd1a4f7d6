// The full mesh: one Peer (one RTCPeerConnection) per other member, and what goes to all of them.
// No DOM here; everything the page shows leaves as events.
import { Peer } from './peer.js';

/**
 * Events (detail always carries `peer`, the remote id):
 * `peer-added` {name}, `peer-removed`, `peer-state` {connection, channel, presence: here|away|left},
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
  // RTCPeerConnections this mesh made and closed, for the diagnostics: a reconnect should move neither.
  #made = 0;
  #closed = 0;

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

  /** Members awaited back after a server restart. */
  get awayIds() { return this.ids.filter((id) => this.#peers.get(id).away); }

  get connectionCounts() { return { created: this.#made, closed: this.#closed }; }

  has(id) { return this.#peers.has(id); }

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
    this.#made += 1;
    this.#peers.set(id, peer);
    this.emit('peer-added', id, { name: peer.name });
    peer.start();
  }

  remove(id, only = null) {
    const peer = this.#peers.get(id);
    if (peer && (!only || peer === only)) {
      this.#peers.delete(id);
      peer.close();
      this.#closed += 1;
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

  /**
   * A member we have a link to is present again under its id. The link stays and is repaired;
   * only one whose other end has gone (it dropped us meanwhile) is replaced by a new one, with the
   * role that how we heard of the member now gives (`polite` as for add()).
   */
  back(id, name, polite) {
    const peer = this.#peers.get(id);
    if (!peer || peer.dead) {
      this.add(id, name, polite);
      return;
    }
    peer.back(name);
    peer.repair();
  }

  /** Signals to and from this member may have been lost: restart what was under way. */
  repair(id) {
    this.#peers.get(id)?.repair();
  }

  /**
   * After a restart, the server lists a member we have a link to. A live link stays and is
   * repaired. A dead one (its other end closed) proves nothing either way: the list may hold a
   * member whose node went and whose tab is gone, kept there for the resume grace. It is awaited
   * like a member not back yet; an offer from that member (see receive) replaces it.
   */
  listed(id, name, graceMs) {
    const peer = this.#peers.get(id);
    if (peer?.dead) {
      peer.awaitReturn(graceMs);
    } else {
      this.back(id, name, false);
    }
  }

  /** After a server restart: keep these members' links while they come back (see Peer.awaitReturn). */
  awaitReturn(ids, graceMs) {
    for (const id of ids) {
      this.#peers.get(id)?.awaitReturn(graceMs);
    }
  }

  closeAll() {
    for (const id of this.ids) {
      this.remove(id);
    }
  }

  receive(message) {
    let peer = this.#peers.get(message.from);
    if (peer?.dead && message.type === 'offer') {
      // The member is there and dials us afresh: it closed the old link, or lost it. It offered, so we are polite.
      this.add(peer.id, peer.name, true);
      peer = this.#peers.get(message.from);
    }
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
