// File transfer over one ordered, reliable RTCDataChannel: a JSON header, then ArrayBuffer
// chunks, then a JSON verdict back from the receiver. No DOM here.

export const CHUNK_BYTES = 16 * 1024;
// The whole file is read into memory to hash it (crypto.subtle has no streaming digest), so
// keep it to what a phone can hold twice.
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
// Chromium closes a channel whose send buffer overflows (16 MiB); stay far below and resume
// once it has drained to the low-water mark.
const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;
const PROGRESS_EVERY_MS = 100;

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

async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Wraps one data channel. Emits `transfer` events whose detail is
 * {id, direction: 'in'|'out', name, size, mime, done (bytes), sent?, result?, blob?}; `result` is
 * set once the transfer is over ('verified', 'hash mismatch', 'size mismatch', 'interrupted', …);
 * `sent` marks an outgoing file that is waiting for the receiver's verdict.
 */
export class FileChannel extends EventTarget {
  #channel;
  #outbox = Promise.resolve();
  #incoming = null;
  #awaitingVerdict = new Map();
  #waiters = new Set();
  #strayChunks = 0;

  constructor(channel) {
    super();
    this.#channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.addEventListener('message', (event) => this.#receive(event.data));
    channel.addEventListener('close', () => this.#interruptAll());
  }

  /** Queues a prepared file; files to one peer go one after another so chunks never interleave. */
  send(prepared, id = newTransferId()) {
    const transfer = { id, direction: 'out', name: prepared.name, size: prepared.size, mime: prepared.mime, done: 0 };
    this.#emit(transfer);
    const sent = this.#outbox.then(() => this.#sendNow(prepared, transfer));
    this.#outbox = sent.catch(() => {});
    return id;
  }

  /** For a channel whose connection is being closed: pc.close() fires no close event on it. */
  close() {
    for (const settle of [...this.#waiters]) {
      settle({ type: 'close' });
    }
    this.#interruptAll();
  }

  async #sendNow(prepared, transfer) {
    const channel = this.#channel;
    try {
      await this.#whenOpen();
      const { id, name, size, mime } = transfer;
      channel.send(JSON.stringify({ kind: 'file', id, name, size, mime, sha256: prepared.sha256 }));
      this.#awaitingVerdict.set(id, transfer);
      let lastReport = 0;
      for (let offset = 0; offset < size; offset += CHUNK_BYTES) {
        if (channel.bufferedAmount > HIGH_WATER_BYTES) {
          await this.#drained();
        }
        channel.send(prepared.buffer.slice(offset, offset + CHUNK_BYTES));
        if (performance.now() - lastReport > PROGRESS_EVERY_MS) {
          lastReport = performance.now();
          const handedOver = Math.min(size, offset + CHUNK_BYTES) - channel.bufferedAmount;
          this.#emit(transfer, { done: Math.max(0, handedOver) });
        }
      }
      this.#emit(transfer, { done: size, sent: true });
    } catch (err) {
      this.#awaitingVerdict.delete(transfer.id);
      if (transfer.result !== 'interrupted') {
        this.#emit(transfer, { result: 'interrupted' });
      }
      throw err;
    }
  }

  #whenOpen() {
    return this.#waitFor('open', () => this.#channel.readyState === 'open');
  }

  #drained() {
    return this.#waitFor('bufferedamountlow', () => this.#channel.bufferedAmount <= LOW_WATER_BYTES);
  }

  #waitFor(eventName, ready) {
    const channel = this.#channel;
    if (ready()) {
      return Promise.resolve();
    }
    if (channel.readyState === 'closing' || channel.readyState === 'closed') {
      return Promise.reject(new Error('data channel closed'));
    }
    return new Promise((resolve, reject) => {
      const settle = (event) => {
        channel.removeEventListener(eventName, settle);
        channel.removeEventListener('close', settle);
        this.#waiters.delete(settle);
        event.type === eventName ? resolve() : reject(new Error('data channel closed'));
      };
      channel.addEventListener(eventName, settle);
      channel.addEventListener('close', settle);
      this.#waiters.add(settle);
    });
  }

  #receive(data) {
    if (typeof data !== 'string') {
      this.#chunk(data);
      return;
    }
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('files: ignoring a control message that is not JSON');
      return;
    }
    if (message?.kind === 'file') {
      this.#start(message);
    } else if (message?.kind === 'file-result') {
      this.#verdict(message);
    }
  }

  #start(header) {
    this.#strayChunks = 0;
    if (this.#incoming) {
      this.#emit(this.#incoming.transfer, { result: 'interrupted' });
    }
    const valid = typeof header.id === 'string' && /^[\w-]{1,64}$/.test(header.id)
      && Number.isSafeInteger(header.size) && header.size >= 0 && header.size <= MAX_FILE_BYTES
      && typeof header.sha256 === 'string';
    if (!valid) {
      console.warn('files: ignoring a malformed file header');
      this.#incoming = null;
      return;
    }
    const transfer = {
      id: header.id,
      direction: 'in',
      // A name is only a suggestion for the download; never let it look like a path.
      name: String(header.name ?? 'file').replace(/[\\/]/g, '_').slice(0, 255) || 'file',
      size: header.size,
      mime: typeof header.mime === 'string' ? header.mime : 'application/octet-stream',
      done: 0,
    };
    this.#incoming = { transfer, sha256: header.sha256.toLowerCase(), chunks: [], lastReport: 0 };
    this.#emit(transfer);
    if (header.size === 0) {
      this.#finish();
    }
  }

  #chunk(buffer) {
    const incoming = this.#incoming;
    if (!incoming) {
      // Once per run of strays, e.g. the rest of a file whose header was refused.
      if (!this.#strayChunks++) {
        console.warn('files: ignoring chunks outside any transfer');
      }
      return;
    }
    incoming.chunks.push(buffer);
    incoming.transfer.done += buffer.byteLength;
    if (incoming.transfer.done >= incoming.transfer.size) {
      this.#finish();
    } else if (performance.now() - incoming.lastReport > PROGRESS_EVERY_MS) {
      incoming.lastReport = performance.now();
      this.#emit(incoming.transfer);
    }
  }

  async #finish() {
    // Detach first: the next header may arrive while this one is being hashed.
    const { transfer, sha256, chunks } = this.#incoming;
    this.#incoming = null;
    const blob = new Blob(chunks, { type: transfer.mime });
    let result;
    try {
      if (blob.size !== transfer.size) {
        result = 'size mismatch';
      } else if (!globalThis.crypto?.subtle) {
        result = 'unverified (needs https)';
      } else {
        result = (await sha256Hex(await blob.arrayBuffer())) === sha256 ? 'verified' : 'hash mismatch';
      }
    } catch (err) {
      console.error('files: cannot check', transfer.name, err);
      result = 'check failed';
    }
    this.#emit(transfer, { result, blob: result === 'verified' || result.startsWith('unverified') ? blob : undefined });
    if (this.#channel.readyState === 'open') {
      this.#channel.send(JSON.stringify({ kind: 'file-result', id: transfer.id, result }));
    }
  }

  #verdict({ id, result }) {
    const transfer = this.#awaitingVerdict.get(id);
    if (transfer && typeof result === 'string') {
      this.#awaitingVerdict.delete(id);
      this.#emit(transfer, { result: result === 'verified' ? 'verified' : `receiver: ${result.slice(0, 40)}` });
    }
  }

  #interruptAll() {
    if (this.#incoming) {
      this.#emit(this.#incoming.transfer, { result: 'interrupted' });
      this.#incoming = null;
    }
    for (const transfer of this.#awaitingVerdict.values()) {
      this.#emit(transfer, { result: 'interrupted' });
    }
    this.#awaitingVerdict.clear();
  }

  #emit(transfer, changes = {}) {
    Object.assign(transfer, changes);
    this.dispatchEvent(new CustomEvent('transfer', { detail: { ...transfer } }));
  }
}
