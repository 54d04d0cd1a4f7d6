// The two data channels of one pair: `chat` (JSON text messages) and `files` (see files.js).
// Both sides create them pre-negotiated, so neither has to wait for the other to announce them.
import { FileChannel } from './file-channel.js';

export const CHAT_CHANNEL = { negotiated: true, id: 0, ordered: true };
export const FILE_CHANNEL = { negotiated: true, id: 1, ordered: true };

export class Channels {
  #chat = null;
  #files = null;
  #on;

  /**
   * @param {{chat: (text: string) => void, transfer: (detail: object) => void, changed: () => void}} on
   *   `changed` whenever the state of the channel chat is sent on may have changed.
   */
  constructor(on) {
    this.#on = on;
  }

  /** The state of the channel chat goes out on; 'connecting' before there is one. */
  get chatState() {
    return this.#chat?.readyState ?? 'connecting';
  }

  /** Creates our pre-negotiated pair on `pc`. */
  create(pc) {
    const chat = pc.createDataChannel('chat', CHAT_CHANNEL);
    chat.onmessage = ({ data }) => this.#chatMessage(data);
    chat.onopen = chat.onclose = () => this.#on.changed();
    this.#chat = chat;
    this.#files = new FileChannel(pc.createDataChannel('files', FILE_CHANNEL));
    this.#files.addEventListener('transfer', ({ detail }) => this.#on.transfer(detail));
  }

  sendChat(text) {
    if (this.#chat?.readyState !== 'open') {
      return false;
    }
    this.#chat.send(JSON.stringify({ kind: 'chat', text }));
    return true;
  }

  /** Returns the transfer id; the file waits for the channel to open. */
  sendFile(prepared) {
    return this.#files.send(prepared);
  }

  close() {
    this.#files?.close();
    if (this.#chat) {
      this.#chat.onopen = this.#chat.onclose = this.#chat.onmessage = null;
    }
  }

  #chatMessage(data) {
    try {
      const message = JSON.parse(data);
      if (message?.kind === 'chat' && typeof message.text === 'string') {
        this.#on.chat(message.text);
      }
    } catch {
      console.warn('channels: ignoring a chat message that is not JSON');
    }
  }
}
