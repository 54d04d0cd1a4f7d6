// Everything the page shows. Text from other peers only ever goes in through textContent.

const $ = (id) => document.getElementById(id);
const el = {
  status: $('status'),
  relayBadge: $('relay-badge'),
  notice: $('notice'),
  landing: $('landing'),
  roomView: $('room-view'),
  joinForm: $('join-form'),
  room: $('room'),
  name: $('name'),
  invite: $('invite'),
  leave: $('leave'),
  camera: $('camera'),
  mic: $('mic'),
  chatForm: $('chat-form'),
  fileInput: $('file-input'),
  roomName: $('room-name'),
  myName: $('my-name'),
  myId: $('my-id'),
  inviteLink: $('invite-link'),
  inviteFeedback: $('invite-feedback'),
  peers: $('peers'),
  chatLog: $('chat-log'),
  chatInput: $('chat-input'),
  chatSend: $('chat-send'),
  fileTarget: $('file-target'),
  transfers: $('transfers'),
  transfersClear: $('transfers-clear'),
  videos: $('videos'),
  localTile: $('local-tile'),
  localVideo: $('local-video'),
};

// A long meeting should not grow the page without bound.
const MAX_MESSAGES = 500;
const NOTICE_MS = 12_000;

const objectUrls = new Map();
let noticeTimer = null;
let gestureWait = null;

export const elements = el;

/** `quiet` updates the text without announcing it, for a countdown that ticks every second. */
export function showStatus(text, state, quiet = false) {
  el.status.setAttribute('aria-live', quiet ? 'off' : 'polite');
  el.status.textContent = text;
  el.status.dataset.state = state;
}

export function showRelayOnly(relayOnly) {
  el.relayBadge.hidden = !relayOnly;
}

/** Errors: on the status line for people, in the console for developers. */
export function report(message, error) {
  if (error) {
    console.error(message, error);
  } else {
    console.warn(message);
  }
  notify(message);
}

/** A passing message for people only, such as a hint; it clears itself. */
export function notify(message) {
  el.notice.textContent = message;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { el.notice.textContent = ''; }, NOTICE_MS);
}

export function showLanding(room = '', name = '') {
  el.roomView.hidden = true;
  el.landing.hidden = false;
  el.room.value = room;
  el.name.value = name;
  el.myId.textContent = '';
  const roomValid = el.room.checkValidity();
  el.room.setAttribute('aria-invalid', String(Boolean(room) && !roomValid));
  (room && roomValid ? el.name : el.room).focus();
}

export function showRoom(room, name, inviteUrl) {
  el.landing.hidden = true;
  el.roomView.hidden = false;
  el.roomName.textContent = room;
  el.myName.textContent = name || 'Guest';
  el.inviteLink.value = inviteUrl;
  document.title = `${room} · Rendezvous`;
}

export function showMe(id, name) {
  el.myId.textContent = id;
  el.myName.textContent = name;
}

export function inviteCopied(ok) {
  el.inviteFeedback.textContent = ok ? 'Copied.' : 'Select the link and copy it.';
  if (!ok) {
    el.inviteLink.select();
  }
}

export function setChatEnabled(enabled) {
  el.chatSend.disabled = !enabled;
}

function peerItem(id) {
  return el.peers.querySelector(`[data-peer="${CSS.escape(id)}"]`);
}

export function addPeer(id, name) {
  const item = $('peer-template').content.firstElementChild.cloneNode(true);
  item.dataset.peer = id;
  item.querySelector('.peer-name').textContent = name;
  item.querySelector('.peer-name').title = id;
  el.peers.append(item);
  refreshTargets();
}

export function updatePeer(id, { connection, channel, left, rttMs, route }) {
  const item = peerItem(id);
  if (!item) {
    return;
  }
  if (connection !== undefined) {
    item.querySelector('.state').textContent = connection;
    item.dataset.state = connection;
  }
  if (channel !== undefined) {
    item.querySelector('.channel').textContent = channel;
  }
  if (left !== undefined) {
    item.classList.toggle('left', left);
  }
  if (rttMs !== undefined) {
    item.querySelector('.rtt').textContent = rttMs === null ? '—' : rttMs < 1 ? '<1 ms' : `${Math.round(rttMs)} ms`;
  }
  if (route !== undefined) {
    item.querySelector('.route').textContent = route ?? '—';
  }
}

export function removePeer(id) {
  peerItem(id)?.remove();
  const tile = el.videos.querySelector(`video[data-peer="${CSS.escape(id)}"]`)?.closest('figure');
  if (tile) {
    tile.querySelector('video').srcObject = null;
    tile.remove();
  }
  refreshTargets();
}

function refreshTargets() {
  const chosen = el.fileTarget.value;
  const options = [new Option('Everyone', '')];
  for (const item of el.peers.querySelectorAll('[data-peer]')) {
    options.push(new Option(item.querySelector('.peer-name').textContent, item.dataset.peer));
  }
  el.fileTarget.replaceChildren(...options);
  el.fileTarget.value = options.some((o) => o.value === chosen) ? chosen : '';
}

export function addMessage({ from, text, mine = false, at = new Date() }) {
  const item = $('message-template').content.firstElementChild.cloneNode(true);
  item.classList.toggle('mine', mine);
  item.querySelector('.from').textContent = from;
  const time = item.querySelector('.time');
  time.dateTime = at.toISOString();
  time.textContent = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  item.querySelector('.text').textContent = text;
  const log = el.chatLog;
  // Follow new messages only if the reader is at the end, not while they scroll back.
  const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.append(item);
  while (log.childElementCount > MAX_MESSAGES) {
    log.firstElementChild.remove();
  }
  if (atEnd || mine) {
    log.scrollTop = log.scrollHeight;
  }
}

export function clearChat() {
  el.chatLog.replaceChildren();
}

export function chatInputText() {
  return el.chatInput.value.trim();
}

export function clearChatInput() {
  el.chatInput.value = '';
  el.chatInput.focus();
}

/** Creates or updates the row of one transfer; detail as emitted by files.js plus `counterpart`. */
export function showTransfer({ id, direction, name, size, done, sent, result, blob, counterpart }) {
  let item = el.transfers.querySelector(`[data-transfer-id="${CSS.escape(id)}"]`);
  if (!item) {
    item = $('transfer-template').content.firstElementChild.cloneNode(true);
    item.dataset.transferId = id;
    item.dataset.direction = direction;
    item.querySelector('.arrow').textContent = direction === 'in' ? '↓' : '↑';
    item.querySelector('.file-name').textContent = name;
    item.querySelector('.counterpart').textContent = direction === 'in' ? `from ${counterpart}` : `to ${counterpart}`;
    el.transfers.prepend(item);
  }
  const progress = item.querySelector('progress');
  progress.max = Math.max(size, 1);
  progress.value = size === 0 && result ? 1 : done;
  item.querySelector('.bytes').textContent = `${formatBytes(done)} of ${formatBytes(size)}`;
  const waiting = sent ? 'sent, checking…' : direction === 'in' ? 'receiving…' : 'sending…';
  item.querySelector('.result').textContent = result ?? waiting;
  item.dataset.result = result ?? '';
  if (blob && !objectUrls.has(id)) {
    const url = URL.createObjectURL(blob);
    objectUrls.set(id, url);
    const link = item.querySelector('a[download]');
    link.href = url;
    link.download = name;
    link.textContent = `Save ${name}`;
    link.hidden = false;
  }
  el.transfersClear.hidden = !el.transfers.querySelector('[data-result]:not([data-result=""])');
}

/** Drops finished rows and frees the memory their download links held. */
export function clearFinishedTransfers() {
  for (const item of el.transfers.querySelectorAll('[data-result]:not([data-result=""])')) {
    const url = objectUrls.get(item.dataset.transferId);
    if (url) {
      URL.revokeObjectURL(url);
      objectUrls.delete(item.dataset.transferId);
    }
    item.remove();
  }
  el.transfersClear.hidden = true;
}

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
    const tile = $('tile-template').content.firstElementChild.cloneNode(true);
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

function formatBytes(n) {
  if (n < 1024) {
    return `${n} B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
