// The two data channels of one pair: `chat` (JSON text messages) and `files` (see files.js).
// Both sides create them pre-negotiated, so neither has to wait for the other to announce them.
// A peer that opens its own channel under one of these labels instead (in-band, as some native
// stacks do) is read, and from then on also written to on that channel: the pre-negotiated one
// opens as soon as the connection does, whether or not the other side listens on it.
import { FileChannel } from './file-channel.js';

export const CHAT_CHANNEL = { negotiated: true, id: 0, ordered: true };
export const FILE_CHANNEL = { negotiated: true, id: 1, ordered: true };

export class Channels {
  // The channels each kind is sent on: the other side's own when it opened one, else ours.
  #chat = null;
  #files = null;
  #adopted = { chat: false, files: false };
  #all = [];
  #fileChannels = [];
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
    this.#useChat(pc.createDataChannel('chat', CHAT_CHANNEL), false);
    this.#useFiles(pc.createDataChannel('files', FILE_CHANNEL), false);
  }

  /** A channel the other side opened (RTCPeerConnection's `datachannel` event). */
  adopt(channel) {
    if (channel.label === 'chat') {
      this.#useChat(channel, true);
    } else if (channel.label === 'files') {
      this.#useFiles(channel, true);
    } else {
      console.info('channels: ignoring a data channel labelled', channel.label);
    }
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
    for (const files of this.#fileChannels) {
      files.close();
    }
    for (const channel of this.#all) {
      channel.onopen = channel.onclose = channel.onmessage = null;
    }
  }

  #useChat(channel, theirs) {
    this.#all.push(channel);
    channel.onmessage = ({ data }) => this.#chatMessage(data);
    channel.onopen = channel.onclose = () => channel === this.#chat && this.#on.changed();
    if (theirs || !this.#adopted.chat) {
      this.#adopted.chat ||= theirs;
      this.#chat = channel;
      this.#on.changed();
    }
  }

  #useFiles(channel, theirs) {
    this.#all.push(channel);
    const files = new FileChannel(channel);
    files.addEventListener('transfer', ({ detail }) => this.#on.transfer(detail));
    this.#fileChannels.push(files);
    if (theirs || !this.#adopted.files) {
      this.#adopted.files ||= theirs;
      this.#files = files;
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
