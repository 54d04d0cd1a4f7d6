// What the end of a signaling socket means: a refusal the page must accept, or a reason to come
// back, and how soon. Pure tables and arithmetic; no socket, no DOM.

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const JITTER = 0.3;

/**
 * Close codes after which trying again cannot help; the value is the refusal's reason. Any other
 * 44xx code not in RETRY_CAUSES counts as a refusal too ('refused'): a code this page does not
 * know yet must not make it hammer the server, nor come back where it was sent away.
 */
const REFUSED = new Map([
  [4400, 'bad-room'],
  [4401, 'unauthorized'],
  [4403, 'removed'],
  [4404, 'room-closed'],
  [4409, 'room-full'],
]);

/**
 * Closes after which trying again helps: what they say, and how long to hold off at least (an
 * overloaded server is not helped by every page coming back at once). `atOnce`: the server went
 * away on purpose and kept our place, so the first attempt goes at once (another node may already
 * be there); the backoff follows. Any other close (a network drop, 4408 silent for too long, 1008
 * too slow to read) reconnects as soon as the backoff allows.
 */
const RETRY_CAUSES = new Map([
  [1001, { cause: 'going-away', minDelayMs: 0, atOnce: true }],
  [1012, { cause: 'restarting', minDelayMs: 0, atOnce: true }],
  [1013, { cause: 'busy', minDelayMs: 5_000 }],
  [4408, { cause: 'lost', minDelayMs: 0 }],
  [4429, { cause: 'rate-limited', minDelayMs: 5_000 }],
]);

/** Errors that announce the close which follows; the code that matters if a proxy loses the close's own. */
export const ANNOUNCING_ERRORS = new Map([
  ['BAD_ROOM', 4400],
  ['UNAUTHORIZED', 4401],
  ['ROOM_FULL', 4409],
  ['TOO_MANY_CONNECTIONS', 1013],
  ['TOO_MANY_ROOMS', 1013],
]);

/** The refusal's reason, or null when the close is worth a retry. */
export function refusalFor(code) {
  return REFUSED.get(code) ?? (code >= 4400 && code <= 4499 && !RETRY_CAUSES.has(code) ? 'refused' : null);
}

/**
 * Why the next attempt is made and after how long: exponential backoff from the attempt number,
 * spread by `random()` (0 ≤ r < 1).
 */
export function retryAfter(code, attempt, random) {
  const { cause = 'lost', minDelayMs = 0, atOnce = false } = RETRY_CAUSES.get(code) ?? {};
  if (atOnce && attempt === 0) {
    return { cause, delayMs: 0 };
  }
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  // The jitter spreads a crowd of pages; above a floor it only adds, so the crowd stays spread.
  const low = Math.max(minDelayMs, delay * (1 - JITTER));
  const high = Math.max(delay * (1 + JITTER), low * (1 + JITTER));
  return { cause, delayMs: Math.round(low + (high - low) * random()) };
}
