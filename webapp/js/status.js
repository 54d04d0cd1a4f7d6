// What the status line says about the page's link to the server, in words for people, and what
// becomes of the server's error messages.
import * as ui from './ui.js';

export const BAD_ROOM_TEXT = 'That is an invalid room name: use 1–64 letters, digits, _ or -.';
const UNAUTHORIZED_TEXT = 'You are not allowed into this room: the invitation is missing, invalid or expired.';
const REMOVED_TEXT = 'An administrator removed you from this room.';
const ROOM_CLOSED_TEXT = 'An administrator closed this room.';

let countdown = null;

/**
 * Shows a signaling `state` event (see signaling.js).
 * @param {object|null} refusal the error that announced a refusing close, if one did.
 */
export function showSignalingState({ state, attempt, reason, retryAt, cause, code }, refusal) {
  clearInterval(countdown);
  switch (state) {
    case 'connecting':
      ui.showStatus(attempt ? 'reconnecting…' : 'connecting…', state);
      break;
    case 'online':
      ui.showStatus('online', state);
      break;
    case 'reconnecting': {
      let announced = false;
      const tick = () => {
        const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
        ui.showStatus(retryText(cause, seconds), state, announced);
        announced = true;
      };
      tick();
      countdown = setInterval(tick, 1000);
      break;
    }
    case 'refused':
      ui.showStatus(refusalText(reason, code, refusal), state);
      break;
    case 'closed':
      ui.showStatus('You left the room.', state);
      break;
  }
}

/** Logs or shows a server `error`; returns it when it announces a refusal, else null. */
export function takeSignalingError(error) {
  switch (error.code) {
    case 'ROOM_FULL':
    case 'BAD_ROOM':
    case 'UNAUTHORIZED':
      return error; // the close that follows ends the attempt; the message says more
    case 'UNKNOWN_PEER':
      // A signal crossed the peer's departure; the peer-left that explains it is on its way.
      console.debug('signaling: addressed a peer that has left');
      break;
    case 'TOO_MANY_CONNECTIONS':
    case 'TOO_MANY_ROOMS':
      break; // the close that follows puts "server busy" on the status line
    case 'RESUME_FAILED':
      // Not a fault: the grace ran out or the server restarted. The welcome that follows rebuilds.
      console.info('signaling: could not resume; joining as a newcomer');
      break;
    case 'RATE_LIMITED':
      // One message dropped, the socket still open; nothing anyone on the page could act on.
      console.warn('signaling: the server dropped a message (rate limited)', error.message ?? '');
      break;
    default:
      ui.report(`Server refused a message: ${error.message ?? error.code}`);
  }
  return null;
}

function retryText(cause, seconds) {
  switch (cause) {
    case 'busy':
      return `server busy, retrying in ${seconds} s…`;
    case 'going-away':
      return `reconnecting in ${seconds} s… (server restarting)`;
    case 'rate-limited':
      return `reconnecting in ${seconds} s… (too many messages)`;
    default:
      return `reconnecting in ${seconds} s…`;
  }
}

function refusalText(reason, code, refusal) {
  switch (reason) {
    case 'room-full':
      return roomFullText(refusal);
    case 'unauthorized':
      return UNAUTHORIZED_TEXT;
    case 'removed':
      return REMOVED_TEXT;
    case 'room-closed':
      return ROOM_CLOSED_TEXT;
    case 'bad-room':
      return BAD_ROOM_TEXT;
    default:
      return `The server closed the connection (${code}) and the page will not reconnect.`;
  }
}

function roomFullText(refusal) {
  const limit = /\((\d+)/.exec(refusal?.message ?? '')?.[1];
  return `This room is full${limit ? ` (${limit} people)` : ''}. Try again later or pick another room.`;
}
