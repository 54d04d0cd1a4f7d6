// The receiving half of a `files` channel: checks a header, gathers the chunks that follow it,
// hashes the whole and says how it went. No DOM here.
import { MAX_FILE_BYTES, PROGRESS_EVERY_MS, sha256Hex } from './files.js';

export class FileReceiver {
  #incoming = null;
  #strayChunks = 0;
  #emit;
  #reply;

  /**
   * @param {(transfer: object, changes?: object) => void} emit reports a transfer (see FileChannel).
   * @param {(message: object) => void} reply sends the verdict back on the channel, if it is open.
   */
  constructor(emit, reply) {
    this.#emit = emit;
    this.#reply = reply;
  }

  start(header) {
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

  chunk(buffer) {
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

  /** The channel went away in the middle of a file. */
  interrupt() {
    if (this.#incoming) {
      this.#emit(this.#incoming.transfer, { result: 'interrupted' });
      this.#incoming = null;
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
    this.#reply({ kind: 'file-result', id: transfer.id, result });
  }
}
