// One `files` data channel (the format is in files.js): sends prepared files one after another,
// hands what arrives to a FileReceiver, and matches the receiver's verdicts to what was sent.
import { CHUNK_BYTES, PROGRESS_EVERY_MS, newTransferId } from './files.js';
import { FileReceiver } from './file-receiver.js';

// Chromium closes a channel whose send buffer overflows (16 MiB); stay far below and resume
// once it has drained to the low-water mark.
const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;

/**
 * Wraps one data channel. Emits `transfer` events whose detail is
 * {id, direction: 'in'|'out', name, size, mime, done (bytes), sent?, result?, blob?}; `result` is
 * set once the transfer is over ('verified', 'hash mismatch', 'size mismatch', 'interrupted', …);
 * `sent` marks an outgoing file that is waiting for the receiver's verdict.
 */
export class FileChannel extends EventTarget {
  #channel;
  #outbox = Promise.resolve();
  #receiver;
  #awaitingVerdict = new Map();
  #waiters = new Set();

  constructor(channel) {
    super();
    this.#channel = channel;
    this.#receiver = new FileReceiver((transfer, changes) => this.#emit(transfer, changes), (verdict) => {
      if (channel.readyState === 'open') {
        channel.send(JSON.stringify(verdict));
      }
    });
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
      this.#receiver.chunk(data);
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
      this.#receiver.start(message);
    } else if (message?.kind === 'file-result') {
      this.#verdict(message);
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
    this.#receiver.interrupt();
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
