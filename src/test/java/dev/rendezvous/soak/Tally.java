package dev.rendezvous.soak;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What a soak run counted, from every client's thread at once: messages, anomalies and join times. */
final class Tally {

    /** How many anomalies are kept word for word, for the assertion message. */
    private static final int KEPT = 20;

    final AtomicLong sent = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong resumes = new AtomicLong();
    final AtomicLong rejoins = new AtomicLong();
    private final Queue<Long> joinNanos = new ConcurrentLinkedQueue<>();
    private final Queue<Long> resumeNanos = new ConcurrentLinkedQueue<>();
    private final Queue<String> anomalies = new ConcurrentLinkedQueue<>();
    private final AtomicLong anomalyCount = new AtomicLong();

    void joined(long nanos) {
        joinNanos.add(nanos);
    }

    void resumed(long nanos) {
        resumes.incrementAndGet();
        resumeNanos.add(nanos);
    }

    /** A gap ({@code missing} messages never seen) in one sender's stream to one receiver. */
    void lost(long missing, String what) {
        lost.addAndGet(missing);
        note(what);
    }

    void duplicated(String what) {
        duplicated.incrementAndGet();
        note(what);
    }

    private void note(String what) {
        if (anomalyCount.incrementAndGet() <= KEPT) {
            anomalies.add(what);
        }
    }

    /** The first anomalies seen, one a line. */
    String anomalies() {
        return String.join("\n", anomalies);
    }

    static String percentiles(Queue<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        if (sorted.isEmpty()) {
            return "n=0";
        }
        Collections.sort(sorted);
        return "n=" + sorted.size() + " p50=" + millis(sorted, 0.50) + " ms p99=" + millis(sorted, 0.99)
                + " ms max=" + millis(sorted, 1.0) + " ms";
    }

    private static String millis(List<Long> sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.size()) - 1;
        long nanos = sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
        return String.format("%.1f", nanos / (double) TimeUnit.MILLISECONDS.toNanos(1));
    }

    String joins() {
        return percentiles(joinNanos);
    }

    String resumeTimes() {
        return percentiles(resumeNanos);
    }

    @Override
    public String toString() {
        return "sent=" + sent + " received=" + received + " lost=" + lost + " duplicated=" + duplicated
                + " resumes=" + resumes + " rejoins=" + rejoins;
    }
}
