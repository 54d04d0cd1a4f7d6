// What the page shows of the room: the status line, the landing form, the people and the chat.
// Transfers are drawn by ui-transfers.js, the call by ui-media.js. Text from other peers only ever
// goes in through textContent.
import { el, fromTemplate } from './dom.js';

// A long meeting should not grow the page without bound.
const MAX_MESSAGES = 500;
const NOTICE_MS = 12_000;

let noticeTimer = null;

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
  const item = fromTemplate('peer-template');
  item.dataset.peer = id;
  item.querySelector('.peer-name').textContent = name;
  item.querySelector('.peer-name').title = id;
  el.peers.append(item);
  refreshTargets();
}

// What the server says of a member, apart from the state of our link to it.
const PRESENCE_TEXT = { here: 'in the room', away: 'not back yet', left: 'left' };

export function updatePeer(id, { connection, channel, presence, rttMs, route }) {
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
  if (presence !== undefined) {
    item.querySelector('.presence').textContent = PRESENCE_TEXT[presence] ?? presence;
    item.dataset.presence = presence;
    item.classList.toggle('left', presence === 'left');
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
  const item = fromTemplate('message-template');
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
