// Wires the signaling client and the peer mesh to the page.
import { SignalingClient, ROOM_PATTERN } from './signaling.js';
import { PeerMesh } from './peers.js';
import { prepareFile } from './files.js';
import * as ui from './ui.js';

const NAME_KEY = 'rendezvous.name';
const STATS_MS = 2000;
const BAD_ROOM_TEXT = 'That is an invalid room name: use 1–64 letters, digits, _ or -.';
const UNAUTHORIZED_TEXT = 'You are not allowed into this room: the invitation is missing, invalid or expired.';
const REMOVED_TEXT = 'An administrator removed you from this room.';
const ROOM_CLOSED_TEXT = 'An administrator closed this room.';

const params = new URLSearchParams(location.search);
// Read once: leaving drops them from the address, but a later join on this page still needs them.
const accessToken = params.get('token') ?? '';
const relayOnly = ['1', 'true'].includes(params.get('relay'));

const signaling = new SignalingClient(signalingBase());
const mesh = new PeerMesh((message) => signaling.send(message), { relayOnly });
const session = {
  room: null, lastRoom: null, name: '', peerId: null, refusal: null, resumes: 0, channelOpenAt: {}, stats: {},
};
const openChats = new Set();
let countdown = null;

// Hooks for the browser tests: read-only, but for the one diagnostics action.
window.rendezvous = Object.freeze({
  get peerId() { return session.peerId; },
  get room() { return session.room; },
  get peers() { return mesh.ids; },
  get channelOpenAt() { return { ...session.channelOpenAt }; },
  get stats() { return structuredClone(session.stats); },
  get resumes() { return session.resumes; },
  get resumeToken() { return signaling.resumeToken; },
  /** Diagnostics: drops the signaling socket as a failing network would, to exercise resume. */
  dropSignaling() { signaling.simulateDrop(); },
});

/** ws(s):// twin of the directory this page is served from, so a non-root context path works. */
function signalingBase() {
  const base = new URL('.', location.href);
  base.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return base;
}

function inviteUrl(room) {
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set('room', room);
  return url.href;
}

function storedName() {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return ''; // storage can be off in private windows
  }
}

function rememberName(name) {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // not remembering is fine
  }
}

function displayName(id, name) {
  return name || (id ? `Guest ${id.slice(0, 4)}` : 'You');
}

function join(room, name) {
  if (!ROOM_PATTERN.test(room)) {
    ui.showLanding(room, name);
    ui.showStatus(BAD_ROOM_TEXT, 'refused');
    return;
  }
  if (room !== session.lastRoom) {
    ui.clearChat(); // another room's conversation would only confuse
  }
  session.room = session.lastRoom = room;
  session.name = name;
  session.refusal = null;
  // Keeps any other parameter (a name given in the link) so that a reload comes back the same.
  const here = new URL(location.href);
  here.searchParams.set('room', room);
  history.replaceState(null, '', here);
  ui.showRoom(room, name, inviteUrl(room));
  signaling.connect(room, name, { token: accessToken });
}

function leave() {
  mesh.closeAll();
  signaling.leave();
  for (const kind of ['audio', 'video']) {
    stopLocal(kind);
  }
  session.room = null;
  session.peerId = null;
  history.replaceState(null, '', location.pathname);
  ui.showLanding('', session.name);
}

function showState({ state, attempt, reason, retryAt, cause, code }) {
  clearInterval(countdown);
  switch (state) {
    case 'connecting':
      ui.showStatus(attempt ? 'reconnecting…' : 'connecting…', state);
      break;
    case 'online':
      ui.showStatus('online', state);
      break;
    case 'reconnecting': {
      let announced = false;
      const tick = () => {
        const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
        ui.showStatus(retryText(cause, seconds), state, announced);
        announced = true;
      };
      tick();
      countdown = setInterval(tick, 1000);
      break;
    }
    case 'refused':
      // We are no member any more, so the old connections could never renegotiate.
      mesh.closeAll();
      session.peerId = null;
      ui.showStatus(refusalText(reason, code), state);
      ui.showLanding(session.room ?? '', session.name);
      break;
    case 'closed':
      ui.showStatus('You left the room.', state);
      break;
  }
}

function retryText(cause, seconds) {
  switch (cause) {
    case 'busy':
      return `server busy, retrying in ${seconds} s…`;
    case 'going-away':
      return `reconnecting in ${seconds} s… (server restarting)`;
    case 'rate-limited':
      return `reconnecting in ${seconds} s… (too many messages)`;
    default:
      return `reconnecting in ${seconds} s…`;
  }
}

function refusalText(reason, code) {
  switch (reason) {
    case 'room-full':
      return roomFullText();
    case 'unauthorized':
      return UNAUTHORIZED_TEXT;
    case 'removed':
      return REMOVED_TEXT;
    case 'room-closed':
      return ROOM_CLOSED_TEXT;
    case 'bad-room':
      return BAD_ROOM_TEXT;
    default:
      return `The server closed the connection (${code}) and the page will not reconnect.`;
  }
}

function roomFullText() {
  const limit = /\((\d+)/.exec(session.refusal?.message ?? '')?.[1];
  return `This room is full${limit ? ` (${limit} people)` : ''}. Try again later or pick another room.`;
}

signaling.addEventListener('state', ({ detail }) => showState(detail));

signaling.addEventListener('welcome', ({ detail }) => {
  if (detail.resumed === true && detail.peer === session.peerId) {
    resume(detail);
  } else {
    rebuild(detail);
  }
});

/**
 * A welcome after a reconnect that brings a new id: the others knew us by the old one and have
 * already dropped it, so no old connection can be renegotiated. Start over as the newcomer.
 */
function rebuild({ peer, peers, iceServers }) {
  mesh.closeAll();
  session.peerId = peer;
  ui.showMe(peer, displayName(peer, session.name));
  mesh.configure(iceServers);
  for (const other of peers ?? []) {
    mesh.add(other.peer, other.name, false);
  }
  if (relayOnly && !offersTurn(iceServers)) {
    ui.report('Relay only, but the server offers no TURN server: no connection can be made.');
  }
}

/**
 * The server kept our place under the same id, and the others never saw us leave: every
 * connection stays as it is, and what was addressed to us meanwhile follows this welcome.
 */
function resume({ peers, iceServers }) {
  session.resumes += 1;
  mesh.configure(iceServers);
  // The peer-left for anyone who went meanwhile should follow too; this covers one that does not.
  const present = new Set((peers ?? []).map(({ peer }) => peer));
  for (const id of mesh.ids) {
    if (!present.has(id)) {
      mesh.left(id);
    }
  }
  // Nobody is added from the list: a member who came meanwhile has its peer-joined among the
  // messages that follow, and adding it here as well would build that connection twice.
}

function offersTurn(iceServers) {
  const urls = (Array.isArray(iceServers) ? iceServers : []).flatMap((server) => server?.urls ?? []);
  return urls.some((url) => /^turns?:/i.test(url));
}

signaling.addEventListener('peer-joined', ({ detail }) => mesh.add(detail.peer, detail.name, true));
signaling.addEventListener('peer-left', ({ detail }) => mesh.left(detail.peer));
for (const type of ['offer', 'answer', 'candidate']) {
  signaling.addEventListener(type, ({ detail }) => mesh.receive(detail));
}

signaling.addEventListener('error', ({ detail }) => {
  switch (detail.code) {
    case 'UNKNOWN_PEER':
      // A signal crossed the peer's departure; the peer-left that explains it is on its way.
      console.debug('signaling: addressed a peer that has left');
      break;
    case 'ROOM_FULL':
    case 'BAD_ROOM':
    case 'UNAUTHORIZED':
      session.refusal = detail; // the close that follows ends the attempt
      break;
    case 'TOO_MANY_CONNECTIONS':
    case 'TOO_MANY_ROOMS':
      break; // the close that follows puts "server busy" on the status line
    case 'RESUME_FAILED':
      // Not a fault: the grace ran out or the server restarted. The welcome that follows rebuilds.
      console.info('signaling: could not resume; joining as a newcomer');
      break;
    case 'RATE_LIMITED':
      // One message dropped, the socket still open; nothing anyone on the page could act on.
      console.warn('signaling: the server dropped a message (rate limited)', detail.message ?? '');
      break;
    default:
      ui.report(`Server refused a message: ${detail.message ?? detail.code}`);
  }
});

mesh.addEventListener('peer-added', ({ detail }) => ui.addPeer(detail.peer, displayName(detail.peer, detail.name)));

mesh.addEventListener('peer-removed', ({ detail }) => {
  ui.removePeer(detail.peer);
  delete session.stats[detail.peer];
  openChats.delete(detail.peer);
  ui.setChatEnabled(openChats.size > 0);
});

mesh.addEventListener('peer-state', ({ detail }) => {
  const { peer, channel } = detail;
  ui.updatePeer(peer, detail);
  if (channel === 'open') {
    openChats.add(peer);
    session.channelOpenAt[peer] ??= performance.now();
  } else {
    openChats.delete(peer);
  }
  ui.setChatEnabled(openChats.size > 0);
});

mesh.addEventListener('chat', ({ detail }) => {
  ui.addMessage({ from: displayName(detail.peer, mesh.nameOf(detail.peer)), text: detail.text });
});

mesh.addEventListener('track', ({ detail }) => {
  const { peer, stream, video } = detail;
  ui.showRemoteMedia(peer, displayName(peer, mesh.nameOf(peer)), stream, video);
});

mesh.addEventListener('transfer', ({ detail }) => {
  ui.showTransfer({ ...detail, counterpart: displayName(detail.peer, mesh.nameOf(detail.peer)) });
});

mesh.addEventListener('stats', ({ detail }) => {
  const { peer, rttMs, route } = detail;
  session.stats[peer] = { rttMs, route };
  ui.updatePeer(peer, { rttMs, route });
});

mesh.addEventListener('failure', ({ detail }) => {
  const who = displayName(detail.peer, mesh.nameOf(detail.peer));
  ui.report(`Connection to ${who}: ${detail.during} failed (${detail.error?.message ?? detail.error}).`, detail.error);
});

setInterval(() => mesh.refreshStats().catch((err) => console.error('stats', err)), STATS_MS);

function sendChat(event) {
  event.preventDefault();
  const text = ui.chatInputText();
  if (!text) {
    return;
  }
  if (mesh.sendChat(text) === 0) {
    ui.report('Nobody is connected to receive that yet.');
    return;
  }
  ui.addMessage({ from: displayName(session.peerId ?? '', session.name), text, mine: true });
  ui.clearChatInput();
}

async function sendFiles(event) {
  const input = event.target;
  const files = [...input.files];
  const target = ui.elements.fileTarget.value;
  // Cleared at once so that choosing the same file again fires another change.
  input.value = '';
  if (mesh.ids.length === 0) {
    ui.report('Nobody is here to send files to yet.');
    return;
  }
  for (const file of files) {
    try {
      if (file.size > 8 * 1024 * 1024) {
        ui.notify(`Reading ${file.name}…`);
      }
      const ids = mesh.sendFile(await prepareFile(file), target);
      if (ids.length === 0) {
        ui.report(`Nobody to send ${file.name} to: that person has left.`);
      }
    } catch (err) {
      ui.report(`Cannot send ${file.name}: ${err.message}`, err);
    }
  }
}

async function toggleMedia(kind, button) {
  button.disabled = true;
  ui.setMediaPressed(kind, !mesh.localTrack(kind));
  try {
    if (mesh.localTrack(kind)) {
      stopLocal(kind);
    } else {
      await startLocal(kind);
    }
  } catch (err) {
    const what = kind === 'video' ? 'Camera' : 'Microphone';
    ui.report(`${what} unavailable: ${err.message || err.name}`, err);
  } finally {
    button.disabled = false;
    showLocal(mesh.localMedia().stream);
  }
}

async function startLocal(kind) {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('needs a secure page (https or localhost)');
  }
  const media = await navigator.mediaDevices.getUserMedia({ [kind]: true });
  const [track] = media.getTracks();
  // A device unplugged or a permission revoked ends the track without our stop().
  track.addEventListener('ended', () => {
    if (mesh.localTrack(kind) === track) {
      stopLocal(kind);
    }
  });
  showLocal(mesh.setLocalTrack(kind, track));
}

function stopLocal(kind) {
  const track = mesh.localTrack(kind);
  if (track) {
    track.stop();
    showLocal(mesh.setLocalTrack(kind, null));
  }
}

function showLocal(stream) {
  ui.showLocalMedia(stream, Boolean(mesh.localTrack('audio')), Boolean(mesh.localTrack('video')));
}

async function copyInvite() {
  try {
    await navigator.clipboard.writeText(ui.elements.inviteLink.value);
    ui.inviteCopied(true);
  } catch {
    ui.inviteCopied(false); // no clipboard on plain http, or permission refused
  }
}

ui.elements.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const room = ui.elements.room.value.trim();
  const name = ui.elements.name.value.trim();
  rememberName(name);
  join(room, name);
});
ui.elements.chatForm.addEventListener('submit', sendChat);
ui.elements.fileInput.addEventListener('change', sendFiles);
ui.elements.camera.addEventListener('click', () => toggleMedia('video', ui.elements.camera));
ui.elements.mic.addEventListener('click', () => toggleMedia('audio', ui.elements.mic));
ui.elements.invite.addEventListener('click', copyInvite);
ui.elements.leave.addEventListener('click', leave);
ui.elements.transfersClear.addEventListener('click', ui.clearFinishedTransfers);

window.addEventListener('online', () => signaling.retryNow());
// Say goodbye so the others drop us at once instead of waiting for the link to time out.
window.addEventListener('pagehide', () => {
  if (session.room) {
    // Connections first: the others then see the direct link end together with our bye.
    mesh.closeAll();
    signaling.leave();
  }
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted && session.room) {
    join(session.room, session.name);
  }
});

ui.showRelayOnly(relayOnly);
const initialRoom = params.get('room');
const initialName = (params.get('name') ?? storedName()).slice(0, 64);
if (initialRoom !== null) {
  join(initialRoom, initialName);
} else {
  ui.showLanding('', initialName);
}
