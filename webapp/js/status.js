// What the status line says about the page's link to the server, in words for people, and what
// becomes of the server's error messages.
import * as ui from './ui.js';

export const BAD_ROOM_TEXT = 'That is an invalid room name: use 1–64 letters, digits, _ or -.';
const UNAUTHORIZED_TEXT = 'You are not allowed into this room: the invitation is missing, invalid or expired.';
const REMOVED_TEXT = 'An administrator removed you from this room.';
const ROOM_CLOSED_TEXT = 'An administrator closed this room.';

// How long "back" stays up after a reconnect before it settles to "connected".
const BACK_MS = 10_000;

let countdown = null;
let backTimer = null;

/**
 * Shows a signaling `state` event (see signaling.js) on the status line, which is about the server
 * only: each link's own state is on its row in the people list. The line reads `connected`,
 * `reconnecting…` (with how many links the page keeps meanwhile) or `back` after a resume.
 * @param {object} event the state event's detail, with `awayMs` (how long the page was without the
 *   server, when it is back) and `links` (how many peer connections the page has).
 * @param {object|null} refusal the error that announced a refusing close, if one did.
 */
export function showSignalingState({ state, attempt, reason, retryAt, cause, code, resumed, awayMs, links }, refusal) {
  clearInterval(countdown);
  clearTimeout(backTimer);
  switch (state) {
    case 'connecting':
      ui.showStatus(attempt ? `reconnecting…${linksGoOn(links)}` : 'connecting…', attempt ? 'reconnecting' : state);
      break;
    case 'online':
      if (resumed && awayMs !== null) {
        ui.showStatus(`back after ${Math.max(1, Math.round(awayMs / 1000))} s${linksGoOn(links)}`, 'back');
        backTimer = setTimeout(() => ui.showStatus('connected', 'online', true), BACK_MS);
      } else {
        ui.showStatus('connected', state);
      }
      break;
    case 'reconnecting': {
      let announced = false;
      const tick = () => {
        const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
        ui.showStatus(retryText(cause, seconds) + linksGoOn(links), state, announced);
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

/** While the server is away the page keeps its links to the others (each row says how each one is): say so. */
function linksGoOn(links) {
  return links > 0 ? ` · ${links} ${links === 1 ? 'link' : 'links'} kept` : '';
}

function retryText(cause, seconds) {
  switch (cause) {
    case 'busy':
      return `server busy, retrying in ${seconds} s…`;
    case 'going-away':
    case 'restarting':
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
