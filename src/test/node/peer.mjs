// A native peer of the Rendezvous page, written from docs/PEER.md alone (libdatachannel through
// node-datachannel), for NativePeerIT. It joins a room over the signaling WebSocket, chats with
// every member and takes in the files they send.
//
//   node --experimental-websocket peer.mjs --server ws://127.0.0.1:8080/ --room R --name N
//        [--candidates-first] [--in-band] [--never-offer]
//
// --candidates-first  sends each description only after all of its candidates (PEER.md says the
//                     order does not matter)
// --in-band           opens chat and files in-band (ids 2 and 3) instead of pre-negotiated 0 and 1
// --never-offer       as the newcomer, does not offer: waits for the page's fallback offer
//
// stdout: one JSON object per line, {"event": …}. stdin: one JSON command per line,
// {"chat": "text"} or {"leave": true}. Ends after leave, or when stdin closes.
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { PeerConnection, cleanup } from 'node-datachannel';

const options = parseArguments(process.argv.slice(2));
const peers = new Map();
let me = null;
let iceServers = [];

function parseArguments(args) {
  const parsed = { candidatesFirst: false, inBand: false, neverOffer: false };
  for (let i = 0; i < args.length; i++) {
    switch (args[i]) {
      case '--server': parsed.server = args[++i]; break;
      case '--room': parsed.room = args[++i]; break;
      case '--name': parsed.name = args[++i]; break;
      case '--candidates-first': parsed.candidatesFirst = true; break;
      case '--in-band': parsed.inBand = true; break;
      case '--never-offer': parsed.neverOffer = true; break;
      default: throw new Error(`unknown argument ${args[i]}`);
    }
  }
  if (!parsed.server || !parsed.room) {
    throw new Error('--server and --room are required');
  }
  return parsed;
}

function emit(event, detail = {}) {
  process.stdout.write(`${JSON.stringify({ event, ...detail })}\n`);
}

const url = new URL(`signal/${encodeURIComponent(options.room)}`, options.server);
if (options.name) {
  url.searchParams.set('name', options.name);
}
const socket = new WebSocket(url);

function signal(message) {
  socket.send(JSON.stringify(message));
}

socket.onmessage = ({ data }) => {
  const message = JSON.parse(data);
  switch (message.type) {
    case 'welcome':
      me = message.peer;
      iceServers = libdatachannelServers(message.iceServers ?? []);
      emit('welcome', { peer: me, peers: message.peers.map((p) => p.peer) });
      // Members already here: we are the newcomer of each pair, impolite, and we offer at once.
      for (const { peer, name } of message.peers) {
        const pair = addPair(peer, name, false);
        if (!options.neverOffer) {
          connect(pair);
          pair.offering = true;
          pair.pc.setLocalDescription('offer');
        }
      }
      break;
    case 'peer-joined':
      // A newcomer: we are the earlier member, polite, and wait for its offer.
      addPair(message.peer, message.name, true);
      emit('peer-joined', { peer: message.peer, name: message.name });
      break;
    case 'peer-left':
      closePair(message.peer);
      emit('peer-left', { peer: message.peer });
      break;
    case 'offer':
    case 'answer':
      onDescription(message);
      break;
    case 'candidate':
      onCandidate(message);
      break;
    case 'error':
      emit('server-error', { code: message.code, message: message.message });
      break;
  }
};
socket.onclose = ({ code }) => emit('signaling-closed', { code });
socket.onerror = () => emit('signaling-error');

/** PEER.md: ICE servers are exactly welcome.iceServers; libdatachannel wants URL strings. */
function libdatachannelServers(servers) {
  return servers.flatMap(({ urls, username, credential }) => [urls].flat().map((u) => {
    const [scheme, rest] = u.split(/:(.*)/s);
    if (scheme.startsWith('turn') && username) {
      return `${scheme}:${encodeURIComponent(username)}:${encodeURIComponent(credential ?? '')}@${rest}`;
    }
    return u;
  }));
}

function addPair(peer, name, polite) {
  const pair = { peer, name, polite, pc: null, offering: false, ignoringOffer: false, early: [], channels: {}, held: null };
  peers.set(peer, pair);
  return pair;
}

/** The connection and its two channels, made before the first offer or answer it takes part in. */
function connect(pair) {
  const pc = new PeerConnection(`to-${pair.peer}`, { iceServers, bindAddress: '127.0.0.1', disableAutoNegotiation: true });
  pair.pc = pc;
  pc.onLocalDescription((sdp, type) => {
    const description = { type: type.toLowerCase(), to: pair.peer, sdp };
    if (options.candidatesFirst) {
      pair.held = description; // sent once gathering is complete, after every candidate
    } else {
      signal(description);
      emit(`${description.type}-sent`, { peer: pair.peer });
    }
  });
  pc.onLocalCandidate((candidate, mid) => {
    // PEER.md: the candidate line without the a= prefix, with sdpMid.
    signal({ type: 'candidate', to: pair.peer, candidate: { candidate: candidate.replace(/^a=/, ''), sdpMid: mid } });
  });
  pc.onGatheringStateChange((state) => {
    if (state === 'complete') {
      signal({ type: 'candidate', to: pair.peer, candidate: null });
      if (pair.held) {
        signal(pair.held);
        emit(`${pair.held.type}-sent`, { peer: pair.peer, afterCandidates: true });
        pair.held = null;
      }
    }
  });
  pc.onStateChange((state) => emit('connection', { peer: pair.peer, state }));
  // In-band channels of the page's are not part of PEER.md; note them if one comes.
  pc.onDataChannel((dc) => emit('unexpected-channel', { peer: pair.peer, label: dc.getLabel() }));
  const [chatInit, filesInit] = options.inBand
    ? [{ id: 2 }, { id: 3 }]
    : [{ negotiated: true, id: 0 }, { negotiated: true, id: 1 }];
  openChat(pair, pc.createDataChannel('chat', chatInit));
  openFiles(pair, pc.createDataChannel('files', filesInit));
}

function onDescription(message) {
  const pair = peers.get(message.from);
  if (!pair) {
    return;
  }
  emit(`${message.type}-received`, { peer: pair.peer });
  if (message.type === 'offer') {
    // PEER.md: a newcomer with its own offer outstanding ignores the page's; the page yields.
    if (pair.offering && !pair.polite) {
      pair.ignoringOffer = true;
      emit('offer-ignored', { peer: pair.peer });
      return;
    }
    pair.ignoringOffer = false;
    if (!pair.pc) {
      connect(pair);
    }
    pair.pc.setRemoteDescription(message.sdp, 'offer');
    addEarlyCandidates(pair);
    pair.pc.setLocalDescription('answer');
  } else {
    if (!pair.offering) {
      return; // nothing of ours to answer
    }
    pair.offering = false;
    pair.ignoringOffer = false;
    pair.pc.setRemoteDescription(message.sdp, 'answer');
    addEarlyCandidates(pair);
  }
}

function onCandidate(message) {
  const pair = peers.get(message.from);
  const candidate = message.candidate;
  if (!pair || !candidate || !candidate.candidate || pair.ignoringOffer) {
    return; // end of candidates needs nothing here; an ignored offer's candidates are dropped
  }
  if (!pair.pc || !pair.pc.remoteDescription()) {
    pair.early.push(candidate);
    return;
  }
  addCandidate(pair, candidate);
}

function addEarlyCandidates(pair) {
  for (const candidate of pair.early.splice(0)) {
    addCandidate(pair, candidate);
  }
}

function addCandidate(pair, { candidate, sdpMid, sdpMLineIndex }) {
  try {
    pair.pc.addRemoteCandidate(candidate, sdpMid ?? midAt(pair.pc.remoteDescription().sdp, sdpMLineIndex ?? 0));
  } catch (err) {
    emit('candidate-failed', { peer: pair.peer, error: String(err) });
  }
}

function midAt(sdp, index) {
  const mids = [...sdp.matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]);
  return mids[index] ?? '0';
}

function openChat(pair, dc) {
  pair.channels.chat = dc;
  dc.onOpen(() => emit('channel-open', { peer: pair.peer, label: 'chat' }));
  dc.onClosed(() => emit('channel-closed', { peer: pair.peer, label: 'chat' }));
  dc.onMessage((data) => {
    if (typeof data !== 'string') {
      return;
    }
    try {
      const message = JSON.parse(data);
      if (message?.kind === 'chat' && typeof message.text === 'string') {
        emit('chat', { peer: pair.peer, name: pair.name, text: message.text });
      }
    } catch {
      emit('bad-chat', { peer: pair.peer });
    }
  });
}

function openFiles(pair, dc) {
  pair.channels.files = dc;
  let incoming = null;
  dc.onOpen(() => emit('channel-open', { peer: pair.peer, label: 'files' }));
  dc.onMessage((data) => {
    if (typeof data === 'string') {
      const message = JSON.parse(data);
      if (message.kind === 'file') {
        incoming = { header: message, chunks: [], received: 0, count: 0 };
        if (message.size === 0) {
          finish();
        }
      }
      return;
    }
    if (!incoming) {
      return;
    }
    const bytes = Buffer.from(data);
    incoming.chunks.push(bytes);
    incoming.received += bytes.length;
    incoming.count += 1;
    if (incoming.received >= incoming.header.size) {
      finish();
    }
  });
  function finish() {
    const { header, chunks, received, count } = incoming;
    incoming = null;
    const sha256 = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
    const result = received !== header.size ? 'size mismatch'
      : sha256 === header.sha256.toLowerCase() ? 'verified' : 'hash mismatch';
    dc.sendMessage(JSON.stringify({ kind: 'file-result', id: header.id, result }));
    emit('file', { peer: pair.peer, id: header.id, name: header.name, size: received, chunks: count, sha256, result });
  }
}

function closePair(peer) {
  const pair = peers.get(peer);
  peers.delete(peer);
  pair?.pc?.close();
}

function sendChat(text) {
  const to = [];
  for (const pair of peers.values()) {
    const dc = pair.channels.chat;
    if (dc?.isOpen()) {
      dc.sendMessage(JSON.stringify({ kind: 'chat', text }));
      to.push(pair.peer);
    }
  }
  emit('chat-sent', { text, to });
}

function leave() {
  if (socket.readyState === WebSocket.OPEN) {
    signal({ type: 'bye' });
  }
  for (const peer of [...peers.keys()]) {
    closePair(peer);
  }
  socket.close();
  cleanup();
  emit('left');
  setTimeout(() => process.exit(0), 100);
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const command = JSON.parse(line);
    if (typeof command.chat === 'string') {
      sendChat(command.chat);
    } else if (command.leave) {
      leave();
    }
  })
  .on('close', leave);
