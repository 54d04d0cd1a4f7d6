// File transfer over one ordered, reliable RTCDataChannel (`files`): the sender's JSON header
// {kind: 'file', id, name, size, mime, sha256}, then the bytes as binary messages of CHUNK_BYTES,
// then the receiver's JSON verdict {kind: 'file-result', id, result}. This module prepares files;
// file-channel.js sends them and file-receiver.js takes them in. No DOM here.

export const CHUNK_BYTES = 16 * 1024;
// The whole file is read into memory to hash it (crypto.subtle has no streaming digest), so
// keep it to what a phone can hold twice.
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
export const PROGRESS_EVERY_MS = 100;

/** Reads and hashes a File once so that it can be sent to many peers. */
export async function prepareFile(file) {
  if (!globalThis.crypto?.subtle) {
    throw new Error('Sending files needs a secure page (https or localhost) for SHA-256.');
  }
  if (file.size > MAX_FILE_BYTES) {
    throw new Error(`${file.name} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB.`);
  }
  const buffer = await file.arrayBuffer();
  return {
    name: file.name,
    size: buffer.byteLength,
    mime: file.type || 'application/octet-stream',
    sha256: await sha256Hex(buffer),
    buffer,
  };
}

export function newTransferId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
