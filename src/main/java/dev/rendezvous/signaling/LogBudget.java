package dev.rendezvous.signaling;

/**
 * A token bucket for log lines: up to {@code perSecond} lines at once and {@code perSecond} a
 * second after that; what it refuses it counts, for a summary line. Times are
 * {@link System#nanoTime()} values, passed in.
 */
final class LogBudget {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;
    private long suppressed;

    LogBudget(int perSecond, long now) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1, was " + perSecond);
        }
        this.perNano = perSecond / 1e9;
        this.burst = perSecond;
        this.tokens = perSecond;
        this.last = now;
    }

    /** Whether a line may be written at {@code now}; if not, it is counted as suppressed. */
    synchronized boolean admit(long now) {
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Lines refused since the last call. */
    synchronized long takeSuppressed() {
        long count = suppressed;
        suppressed = 0;
        return count;
    }
}
