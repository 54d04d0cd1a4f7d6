// Hooks for the browser tests, and for people debugging a connection: read-only, but for one
// action. Installed only when the page's address asks for them with `diagnostics=1`; an ordinary
// page has no `window.rendezvous`.

export function diagnosticsWanted(params) {
  return ['1', 'true'].includes(params.get('diagnostics'));
}

/** @param {{session: object, mesh: import('./mesh.js').PeerMesh, signaling: import('./signaling.js').SignalingClient}} page */
export function exposeDiagnostics({ session, mesh, signaling }) {
  window.rendezvous = Object.freeze({
    get peerId() { return session.peerId; },
    get room() { return session.room; },
    get peers() { return mesh.ids; },
    get channelOpenAt() { return { ...session.channelOpenAt }; },
    get stats() { return structuredClone(session.stats); },
    get resumes() { return session.resumes; },
    /** The signaling client's state: idle, connecting, online, reconnecting, refused or closed. */
    get signalingState() { return signaling.state; },
    /** Each time the page was without its server and came back: {awayMs, resumed, lost, backAt (epoch ms)}. */
    get outages() { return session.outages.map((outage) => ({ ...outage })); },
    /** RTCPeerConnections the page made and closed since it loaded: {created, closed}. */
    get peerConnections() { return mesh.connectionCounts; },
    /** Members awaited back after a server restart. */
    get awayPeers() { return mesh.awayIds; },
    get resumeToken() { return signaling.resumeToken; },
    /** What went wrong with peer connections, as the status line said it. */
    get failures() { return [...session.failures]; },
    /** Drops the signaling socket as a failing network would, to exercise resume. */
    dropSignaling() { signaling.simulateDrop(); },
  });
}
