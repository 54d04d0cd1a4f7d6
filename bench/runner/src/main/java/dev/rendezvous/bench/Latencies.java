package dev.rendezvous.bench;

import java.util.Arrays;

/**
 * Recorded durations in nanoseconds, and their percentiles by the nearest-rank method over all
 * values (no buckets, so nothing is rounded: a run holds tens of thousands of values at most).
 */
final class Latencies {

    private long[] values = new long[1024];
    private int count;
    private long[] sorted;

    synchronized void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
        sorted = null;
    }

    synchronized int count() {
        return count;
    }

    /** The smallest recorded value that at least {@code percent} % of the values do not exceed. */
    synchronized long percentile(double percent) {
        if (count == 0) {
            throw new IllegalStateException("nothing recorded");
        }
        if (sorted == null) {
            sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
        }
        int rank = (int) Math.ceil(percent / 100 * count);
        return sorted[Math.max(rank, 1) - 1];
    }

    long max() {
        return percentile(100);
    }

    /** {@code percentile(percent)} in milliseconds, or {@code NaN} when nothing was recorded. */
    synchronized double millis(double percent) {
        return count == 0 ? Double.NaN : percentile(percent) / 1e6;
    }
}
