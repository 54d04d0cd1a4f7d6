// The page's elements, looked up once. Only the ui*.js modules and app.js's event wiring use them.

const $ = (id) => document.getElementById(id);
export const el = {
  status: $('status'),
  relayBadge: $('relay-badge'),
  notice: $('notice'),
  landing: $('landing'),
  roomView: $('room-view'),
  joinForm: $('join-form'),
  room: $('room'),
  name: $('name'),
  invite: $('invite'),
  leave: $('leave'),
  camera: $('camera'),
  mic: $('mic'),
  chatForm: $('chat-form'),
  fileInput: $('file-input'),
  roomName: $('room-name'),
  myName: $('my-name'),
  myId: $('my-id'),
  inviteLink: $('invite-link'),
  inviteFeedback: $('invite-feedback'),
  peers: $('peers'),
  chatLog: $('chat-log'),
  chatInput: $('chat-input'),
  chatSend: $('chat-send'),
  fileTarget: $('file-target'),
  transfers: $('transfers'),
  transfersClear: $('transfers-clear'),
  videos: $('videos'),
  localTile: $('local-tile'),
  localVideo: $('local-video'),
};

/** A fresh copy of the first element of the <template> with this id. */
export function fromTemplate(id) {
  return $(id).content.firstElementChild.cloneNode(true);
}
