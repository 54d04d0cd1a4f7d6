// The chat form and the file picker: what the person sends, and to whom.
import { prepareFile } from './files.js';
import { el } from './dom.js';
import * as ui from './ui.js';
import { displayName } from './names.js';

/**
 * @param {import('./mesh.js').PeerMesh} mesh
 * @param {{peerId: string|null, name: string}} session whose name our own messages show.
 */
export function wireComposer(mesh, session) {
  el.chatForm.addEventListener('submit', (event) => sendChat(event, mesh, session));
  el.fileInput.addEventListener('change', (event) => sendFiles(event, mesh));
}

function sendChat(event, mesh, session) {
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

async function sendFiles(event, mesh) {
  const input = event.target;
  const files = [...input.files];
  const target = el.fileTarget.value;
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
