package dev.rendezvous.signaling;

/**
 * One connection's token bucket: {@code perSecond} messages a second, bursts of up to {@code burst}.
 * A message over the rate is refused and also runs the bucket into debt, so a client that keeps
 * sending faster than the rate sinks until the debt reaches {@code burst}: then it is an abuser,
 * not a burst. Only the connection's own message thread calls it.
 */
final class RateLimiter {

    enum Verdict { ACCEPT, REFUSE, ABUSE }

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, int burst, long now) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    Verdict take(long now) {
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        tokens -= 1;
        if (tokens >= 0) {
            return Verdict.ACCEPT;
        }
        return tokens <= -burst ? Verdict.ABUSE : Verdict.REFUSE;
    }
}
