// One side of one pair: its RTCPeerConnection, who sets up when, and how long the connection is
// kept. Negotiation, channels, media and statistics each live in a module of their own.
import { Negotiation } from './negotiation.js';
import { Channels } from './channels.js';
import { PeerMedia } from './tracks.js';
import { selectedPair } from './stats.js';

// The member who was there first waits for the newcomer's offer before adding anything of its
// own, so that the usual join needs one offer, not two colliding ones. If no offer comes, it
// stops waiting and negotiates itself.
export const WAIT_FOR_OFFER_MS = 10_000;

export class Peer {
  id;
  name;
  polite;
  pc;
  #mesh;
  #negotiation;
  #channels;
  #media;
  #ready = false;
  #waitTimer = null;
  #left = false;
  // After a server restart: not back yet, and dropped at this timer unless it is back or the link works.
  #awayTimer = null;
  #closed = false;

  /** @param {boolean} polite true for the member who joined earlier, who also waits to be offered. */
  constructor(mesh, id, name, polite, configuration) {
    this.#mesh = mesh;
    this.id = id;
    this.name = typeof name === 'string' ? name : '';
    this.polite = polite;
    const pc = new RTCPeerConnection(configuration);
    this.pc = pc;
    const fail = (during, error) => this.#fail(during, error);
    this.#channels = new Channels({
      chat: (text) => mesh.emit('chat', id, { text }),
      transfer: (detail) => mesh.emit('transfer', id, detail),
      changed: () => this.#channelChanged(),
    });
    this.#media = new PeerMedia(pc, { media: (detail) => mesh.emit('track', id, detail), fail });
    this.#negotiation = new Negotiation(pc, {
      polite,
      send: (message) => this.#signal(message),
      // The waiting member joins in now, so its channels and tracks ride on this very answer.
      beforeAnswer: () => this.#setUp(),
      applied: () => this.#media.report(),
      fail,
    });
    pc.ondatachannel = ({ channel }) => this.#channels.adopt(channel);
    pc.oniceconnectionstatechange = () => {
      // Without signaling there is nobody to carry the restart's offer; one that comes back is repaired.
      if (pc.iceConnectionState === 'failed' && !this.#left && !this.away) {
        pc.restartIce();
      }
    };
    pc.onconnectionstatechange = () => {
      this.#report();
      if (this.#left && ['disconnected', 'failed', 'closed'].includes(pc.connectionState)) {
        mesh.remove(id, this);
      }
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
    this.#channels.create(this.pc);
    const { tracks, stream } = this.#mesh.localMedia();
    for (const [kind, track] of Object.entries(tracks)) {
      if (track) {
        this.setTrack(kind, track, stream);
      }
    }
  }

  setTrack(kind, track, stream) {
    if (this.#ready) {
      this.#media.setTrack(kind, track, stream); // before that, #setUp takes whatever the mesh holds
    }
  }

  receive(message) {
    this.#negotiation.receive(message);
  }

  sendChat(text) {
    return this.#channels.sendChat(text);
  }

  sendFile(prepared) {
    this.#setUp(); // a file for someone who has not offered yet: stop waiting
    return this.#channels.sendFile(prepared);
  }

  /** Whether the member is awaited back after a server restart. */
  get away() { return this.#awayTimer !== null; }

  /** Whether the other end of this link is gone for good: its channels closed with it, which no ICE restart revives. */
  get dead() { return this.#closed || this.pc.connectionState === 'closed' || this.#channels.chatState === 'closed'; }

  /** Returns whether the connection is worth keeping without signaling: it is up and chat is open. */
  markLeft() {
    this.#left = true;
    this.#stopAwaiting();
    this.#report();
    return this.#works();
  }

  /**
   * The server restarted and has not heard from this member again. Its link stays; if the member
   * is not back within `graceMs` it is treated as left (kept only while the link works).
   */
  awaitReturn(graceMs) {
    if (this.#closed || this.#left) {
      return;
    }
    clearTimeout(this.#awayTimer);
    this.#awayTimer = setTimeout(() => {
      this.#awayTimer = null;
      this.#mesh.left(this.id);
    }, graceMs);
    this.#report();
  }

  /** The member is present again under the same id (after a restart, or after a peer-left): keep the link. */
  back(name) {
    if (typeof name === 'string' && name) {
      this.name = name;
    }
    this.#left = false;
    this.#stopAwaiting();
    this.#report();
  }

  /**
   * Signals between us may have been lost: the waiting member stops waiting, and a negotiation that
   * was under way starts again (see Negotiation.restart).
   */
  repair() {
    if (this.#closed) {
      return;
    }
    if (!this.#ready) {
      this.#setUp(); // the newcomer's offer may be among what was lost
      return;
    }
    this.#negotiation.restart();
  }

  useIceServers(iceServers) {
    if (this.#closed) {
      return;
    }
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch (err) {
      // The connection works on with the servers it has; only a later ICE restart could miss them.
      console.warn('peer: keeping the old ICE servers for', this.id, err.message);
    }
  }

  /** Round-trip time and route of the candidate pair in use, or null once closed. */
  stats() {
    return this.#closed ? null : selectedPair(this.pc);
  }

  close() {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    clearTimeout(this.#waitTimer);
    this.#stopAwaiting();
    this.#channels.close();
    this.#negotiation.detach();
    this.#media.close();
    const pc = this.pc;
    pc.oniceconnectionstatechange = pc.onconnectionstatechange = pc.ondatachannel = null;
    pc.close();
  }

  #channelChanged() {
    this.#report();
    if (this.#left && this.#channels.chatState === 'closed') {
      this.#mesh.remove(this.id, this);
    }
  }

  #works() {
    return this.pc.connectionState === 'connected' && this.#channels.chatState === 'open';
  }

  #stopAwaiting() {
    clearTimeout(this.#awayTimer);
    this.#awayTimer = null;
  }

  #report() {
    this.#mesh.emit('peer-state', this.id, {
      connection: this.pc.connectionState,
      channel: this.#channels.chatState,
      presence: this.#left ? 'left' : this.away ? 'away' : 'here',
    });
  }

  #signal(message) {
    if (!this.#closed) {
      this.#mesh.signal({ ...message, to: this.id });
    }
  }

  #fail(during, error) {
    if (this.#closed) {
      return; // work cut short by close() is not a failure
    }
    this.#mesh.emit('failure', this.id, { during, error });
  }
}
