// The call's tiles: ours and one per remote member with media, and the media buttons' state.
import { el, fromTemplate } from './dom.js';
import { notify } from './ui.js';

let gestureWait = null;

/** Pressed follows the user's intent at once; showLocalMedia settles it once the device answers. */
export function setMediaPressed(kind, pressed) {
  (kind === 'video' ? el.camera : el.mic).setAttribute('aria-pressed', String(pressed));
}

export function showLocalMedia(stream, hasAudio, hasVideo) {
  setMediaPressed('audio', hasAudio);
  setMediaPressed('video', hasVideo);
  el.localTile.hidden = !hasAudio && !hasVideo;
  el.localTile.classList.toggle('no-video', !hasVideo);
  if (el.localVideo.srcObject !== stream) {
    el.localVideo.srcObject = stream;
  }
}

/** One tile per remote member with media; it plays audio too, so it is never muted by us. */
export function showRemoteMedia(id, name, stream, hasVideo) {
  let video = el.videos.querySelector(`video[data-peer="${CSS.escape(id)}"]`);
  if (!video) {
    const tile = fromTemplate('tile-template');
    video = tile.querySelector('video');
    video.dataset.peer = id;
    tile.querySelector('figcaption').textContent = name;
    el.videos.append(tile);
  }
  if (video.srcObject !== stream) {
    video.srcObject = stream;
    video.play().catch((err) => err.name === 'NotAllowedError' && playMutedUntilGesture(video));
  }
  video.closest('figure').classList.toggle('no-video', !hasVideo);
}

export function removeRemoteMedia(id) {
  const tile = el.videos.querySelector(`video[data-peer="${CSS.escape(id)}"]`)?.closest('figure');
  if (tile) {
    tile.querySelector('video').srcObject = null;
    tile.remove();
  }
}

// Autoplay with sound is refused until the user has touched the page (e.g. when the room came
// from the link, not the form); play muted meanwhile and unmute on the first click or key.
function playMutedUntilGesture(video) {
  video.muted = true;
  video.play().catch(() => {});
  if (gestureWait) {
    return;
  }
  notify('Click or press a key to hear the others.');
  gestureWait = new AbortController();
  const unmute = () => {
    gestureWait.abort();
    gestureWait = null;
    for (const v of el.videos.querySelectorAll('video')) {
      v.muted = false;
    }
    notify('');
  };
  document.addEventListener('pointerdown', unmute, { signal: gestureWait.signal });
  document.addEventListener('keydown', unmute, { signal: gestureWait.signal });
}
