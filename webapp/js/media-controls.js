// The camera and microphone buttons: local tracks into and out of the mesh, and their tile.
import { report } from './ui.js';
import { setMediaPressed, showLocalMedia } from './ui-media.js';

export class MediaControls {
  #mesh;

  constructor(mesh) {
    this.#mesh = mesh;
  }

  /** @param {'audio'|'video'} kind */
  async toggle(kind, button) {
    const mesh = this.#mesh;
    button.disabled = true;
    setMediaPressed(kind, !mesh.localTrack(kind));
    try {
      if (mesh.localTrack(kind)) {
        this.stop(kind);
      } else {
        await this.#start(kind);
      }
    } catch (err) {
      const what = kind === 'video' ? 'Camera' : 'Microphone';
      report(`${what} unavailable: ${err.message || err.name}`, err);
    } finally {
      button.disabled = false;
      this.#show(mesh.localMedia().stream);
    }
  }

  stop(kind) {
    const track = this.#mesh.localTrack(kind);
    if (track) {
      track.stop();
      this.#show(this.#mesh.setLocalTrack(kind, null));
    }
  }

  async #start(kind) {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new Error('needs a secure page (https or localhost)');
    }
    const media = await navigator.mediaDevices.getUserMedia({ [kind]: true });
    const [track] = media.getTracks();
    // A device unplugged or a permission revoked ends the track without our stop().
    track.addEventListener('ended', () => {
      if (this.#mesh.localTrack(kind) === track) {
        this.stop(kind);
      }
    });
    this.#show(this.#mesh.setLocalTrack(kind, track));
  }

  #show(stream) {
    showLocalMedia(stream, Boolean(this.#mesh.localTrack('audio')), Boolean(this.#mesh.localTrack('video')));
  }
}
