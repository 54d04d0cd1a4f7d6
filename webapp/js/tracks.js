// The audio and video of one pair: our tracks on their transceivers, and the remote stream with
// what the other side sends. No DOM here.

export class PeerMedia {
  /** What the other side sends, one stream for all its tracks. */
  stream = new MediaStream();
  #pc;
  #mine = { audio: null, video: null };
  #closed = false;
  #on;

  /** @param {{media: (detail: {stream, video: boolean, audio: boolean}) => void, fail: (during, error) => void}} on */
  constructor(pc, on) {
    this.#pc = pc;
    this.#on = on;
    pc.ontrack = ({ track }) => {
      this.stream.addTrack(track);
      this.report();
    };
  }

  async setTrack(kind, track, stream) {
    const transceiver = this.#mine[kind];
    try {
      if (!transceiver) {
        if (track) {
          // addTrack reuses a transceiver the remote offer created, so both directions share one m-line.
          const sender = this.#pc.addTrack(track, stream);
          this.#mine[kind] = this.#pc.getTransceivers().find((t) => t.sender === sender);
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
      this.#on.fail('changing media', err);
    }
  }

  /**
   * Whether the remote sends video is read from the negotiated directions, not from the
   * track's muted flag: Chromium can leave a receiving track muted after a glare rollback.
   */
  report() {
    if (this.#closed || this.stream.getTracks().length === 0) {
      return;
    }
    const receiving = (kind) => this.#pc.getTransceivers().some((t) => t.receiver.track.kind === kind
      && (t.currentDirection === 'sendrecv' || t.currentDirection === 'recvonly'));
    this.#on.media({ stream: this.stream, video: receiving('video'), audio: receiving('audio') });
  }

  close() {
    this.#closed = true;
    this.#pc.ontrack = null;
    for (const track of this.stream.getTracks()) {
      track.stop();
    }
  }
}
