// Wires the signaling client and the peer mesh to the page: who joins, who is connected to whom,
// and which control does what. The words are in status.js, the drawing in the ui*.js modules.
import { SignalingClient, ROOM_PATTERN } from './signaling.js';
import { PeerMesh } from './mesh.js';
import { el } from './dom.js';
import * as ui from './ui.js';
import { clearFinishedTransfers } from './ui-transfers.js';
import { showMesh } from './mesh-view.js';
import { wireComposer } from './composer.js';
import { displayName, rememberName, storedName } from './names.js';
import { MediaControls } from './media-controls.js';
import { BAD_ROOM_TEXT, showSignalingState, takeSignalingError } from './status.js';
import { diagnosticsWanted, exposeDiagnostics } from './diagnostics.js';

const STATS_MS = 2000;
// How long a restarted server waits for a member to come back, when a welcome does not say
// (limits.resumeGraceSeconds; signaling.resume.grace's default): a member not back by then from our
// own return is gone.
const DEFAULT_RESUME_GRACE_S = 30;

const params = new URLSearchParams(location.search);
// Read once: leaving drops them from the address, but a later join on this page still needs them.
const accessToken = params.get('token') ?? '';
const relayOnly = ['1', 'true'].includes(params.get('relay'));

const signaling = new SignalingClient(signalingBase());
const mesh = new PeerMesh((message) => signaling.send(message), { relayOnly });
const media = new MediaControls(mesh);
const session = {
  room: null, lastRoom: null, name: '', peerId: null, refusal: null, resumes: 0, channelOpenAt: {}, stats: {}, failures: [],
  // Since when the page has been without the server it was welcomed by, and each time it was.
  awaySince: null, outages: [],
};

if (diagnosticsWanted(params)) {
  exposeDiagnostics({ session, mesh, signaling });
}

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
    media.stop(kind);
  }
  session.room = null;
  session.peerId = null;
  session.awaySince = null;
  history.replaceState(null, '', location.pathname);
  ui.showLanding('', session.name);
}

signaling.addEventListener('state', ({ detail }) => {
  let awayMs = null;
  if (detail.state === 'online') {
    if (session.awaySince !== null) {
      awayMs = Math.round(performance.now() - session.awaySince);
      session.outages.push({ awayMs, resumed: detail.resumed, lost: detail.lost, backAt: Date.now() });
      session.awaySince = null;
    }
  } else if (['connecting', 'reconnecting'].includes(detail.state)) {
    if (session.peerId !== null) {
      session.awaySince ??= performance.now();
    }
  } else {
    session.awaySince = null;
  }
  showSignalingState({ ...detail, awayMs, links: mesh.ids.length }, session.refusal);
  if (detail.state === 'refused') {
    // We are no member any more, so the old connections could never renegotiate.
    mesh.closeAll();
    session.peerId = null;
    ui.showLanding(session.room ?? '', session.name);
  }
});

signaling.addEventListener('welcome', ({ detail }) => {
  if (detail.resumed === true && detail.peer === session.peerId) {
    if (detail.lost === true) {
      resumeAfterRestart(detail);
    } else {
      resume(detail);
    }
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
function resume({ peers, iceServers, heldDropped }) {
  session.resumes += 1;
  mesh.configure(iceServers);
  // The peer-left for anyone who went meanwhile should follow too; this covers one that does not.
  const present = new Set((peers ?? []).map(({ peer }) => peer));
  for (const id of mesh.ids) {
    if (!present.has(id)) {
      mesh.left(id);
    } else if (heldDropped) {
      mesh.repair(id); // signals of ours never went out
    }
  }
  // Nobody is added from the list: a member who came meanwhile has its peer-joined among the
  // messages that follow, and adding it here as well would build that connection twice.
}

/**
 * The server restarted and gave us our id back (`lost`): it replays nothing, and knows only the
 * members back before us. Every connection stays. Those back are repaired where a negotiation was
 * under way; those not back yet are awaited (their `peer-joined` will say they are back), and one
 * that stays away past the grace is dropped unless its link still works. A member we did not know
 * came after the restart: we learn of it from this welcome, so we are the pair's newcomer.
 */
function resumeAfterRestart({ peers, iceServers, limits }) {
  session.resumes += 1;
  mesh.configure(iceServers);
  const present = new Set();
  const graceS = Number.isFinite(limits?.resumeGraceSeconds) ? limits.resumeGraceSeconds : DEFAULT_RESUME_GRACE_S;
  for (const { peer, name } of peers ?? []) {
    present.add(peer);
    if (mesh.has(peer)) {
      mesh.listed(peer, name, graceS * 1000);
    } else {
      mesh.add(peer, name, false);
    }
  }
  mesh.awaitReturn(mesh.ids.filter((id) => !present.has(id)), graceS * 1000);
}

function offersTurn(iceServers) {
  const urls = (Array.isArray(iceServers) ? iceServers : []).flatMap((server) => server?.urls ?? []);
  return urls.some((url) => /^turns?:/i.test(url));
}

// A peer-joined for a member we have a link to comes after a server restart: it is back, not new.
// Should that link be dead, we dial at once: the member found us in its welcome and waits for an
// offer before it replaces its own (see PeerMesh.listed).
signaling.addEventListener('peer-joined', ({ detail }) => {
  if (mesh.has(detail.peer)) {
    mesh.back(detail.peer, detail.name, false);
  } else {
    mesh.add(detail.peer, detail.name, true);
  }
});
signaling.addEventListener('peer-left', ({ detail }) => mesh.left(detail.peer));
for (const type of ['offer', 'answer', 'candidate']) {
  signaling.addEventListener(type, ({ detail }) => mesh.receive(detail));
}
signaling.addEventListener('error', ({ detail }) => {
  session.refusal = takeSignalingError(detail) ?? session.refusal;
});

showMesh(mesh, session);
wireComposer(mesh, session);
setInterval(() => mesh.refreshStats().catch((err) => console.error('stats', err)), STATS_MS);

async function copyInvite() {
  try {
    await navigator.clipboard.writeText(el.inviteLink.value);
    ui.inviteCopied(true);
  } catch {
    ui.inviteCopied(false); // no clipboard on plain http, or permission refused
  }
}

el.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const room = el.room.value.trim();
  const name = el.name.value.trim();
  rememberName(name);
  join(room, name);
});
el.camera.addEventListener('click', () => media.toggle('video', el.camera));
el.mic.addEventListener('click', () => media.toggle('audio', el.mic));
el.invite.addEventListener('click', copyInvite);
el.leave.addEventListener('click', leave);
el.transfersClear.addEventListener('click', clearFinishedTransfers);

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
