// Draws what the mesh reports: people and their links, chat, calls, transfers and failures.
import * as ui from './ui.js';
import { showTransfer } from './ui-transfers.js';
import { showRemoteMedia, removeRemoteMedia } from './ui-media.js';
import { displayName } from './names.js';

/**
 * @param {import('./mesh.js').PeerMesh} mesh
 * @param {{channelOpenAt: object, stats: object, failures: string[]}} session where the diagnostics read what was seen.
 */
export function showMesh(mesh, session) {
  // Whom a chat message would reach: the send button follows it.
  const openChats = new Set();
  const nameOf = (peer) => displayName(peer, mesh.nameOf(peer));

  mesh.addEventListener('peer-added', ({ detail }) => ui.addPeer(detail.peer, displayName(detail.peer, detail.name)));

  mesh.addEventListener('peer-removed', ({ detail }) => {
    ui.removePeer(detail.peer);
    removeRemoteMedia(detail.peer);
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

  mesh.addEventListener('chat', ({ detail }) => ui.addMessage({ from: nameOf(detail.peer), text: detail.text }));
  mesh.addEventListener('track', ({ detail }) => showRemoteMedia(detail.peer, nameOf(detail.peer), detail.stream, detail.video));
  mesh.addEventListener('transfer', ({ detail }) => showTransfer({ ...detail, counterpart: nameOf(detail.peer) }));

  mesh.addEventListener('stats', ({ detail }) => {
    const { peer, rttMs, route } = detail;
    session.stats[peer] = { rttMs, route };
    ui.updatePeer(peer, { rttMs, route });
  });

  mesh.addEventListener('failure', ({ detail }) => {
    session.failures.push(`${detail.during}: ${detail.error?.message ?? detail.error}`);
    session.failures.splice(0, session.failures.length - 50); // the latest are enough
    ui.report(`Connection to ${nameOf(detail.peer)}: ${detail.during} failed (${detail.error?.message ?? detail.error}).`, detail.error);
  });
}
