package dev.rendezvous.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * Joins many silent members to one server in batches and holds them: the server's RSS before and
 * after the joins, its CPU (and by thread) over a measured window once it has settled, and the
 * generator's own CPU over that window. Members keep up what their dialect asks of an idle
 * client (PeerJS's heartbeat every 5 s; the product's pings are answered).
 */
final class IdleHold {

    private static final int BATCH = 500;

    final Target target;
    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    final List<WireMember> joined = new ArrayList<>();
    int failed;
    long rssBefore;
    long rssJoined;
    long rssHeld;
    /** Server CPU over the measured window, per second of wall clock. */
    double serverBusy;
    double generatorBusy;
    String busiest;
    Duration held;
    Duration settled;
    int problemsWhileHeld;

    IdleHold(Target target) {
        this.target = target;
    }

    /** Joins {@code count} members, two to a room; reads the server's RSS before the first and after the last. */
    void join(int count) {
        long pid = target.pid();
        String tag = "idle-" + Long.toHexString(System.nanoTime());
        rssBefore = ProcFs.rssKiB(pid);
        Bench.progress("idle-connections: joining " + count + " members to " + target.name() + ", " + BATCH + " at a time");
        for (int first = 0; first < count; first += BATCH) {
            List<CompletableFuture<WireMember>> batch = new ArrayList<>();
            for (int i = first; i < Math.min(count, first + BATCH); i++) {
                batch.add(WireMember.joining(target, tag + "-" + i / 2, i % 2,
                        (from, payload, at) -> problems.add("an idle member was sent " + payload), problems::add));
            }
            failed += WireMember.await(batch, joined, problems);
        }
        rssJoined = ProcFs.rssKiB(pid);
    }

    /**
     * Holds the members {@code settle} (then until {@code quiet} says the server has settled), then
     * {@code measured} more, over which CPU is read; then reads RSS again and lets the members leave.
     */
    void hold(Duration settle, BooleanSupplier quiet, Duration measured) {
        long pid = target.pid();
        long holdStart = System.nanoTime();
        Servers.pause(settle);
        quiet.getAsBoolean();
        settled = Duration.ofNanos(System.nanoTime() - holdStart);
        long cpuBefore = ProcFs.cpuNanos(pid);
        long generatorBefore = ProcFs.cpuNanos(ProcessHandle.current().pid());
        Map<String, long[]> threadsBefore = ProcFs.cpuByThreadGroup(pid);
        long measureStart = System.nanoTime();
        Servers.pause(measured);
        long window = System.nanoTime() - measureStart;
        held = Duration.ofNanos(System.nanoTime() - holdStart);
        serverBusy = (double) (ProcFs.cpuNanos(pid) - cpuBefore) / window;
        generatorBusy = (double) (ProcFs.cpuNanos(ProcessHandle.current().pid()) - generatorBefore) / window;
        busiest = ProcFs.busiestThreads(threadsBefore, ProcFs.cpuByThreadGroup(pid), window / 100.0);
        rssHeld = ProcFs.rssKiB(pid);
        problemsWhileHeld = problems.size();
        joined.forEach(WireMember::leave);
    }

    /** RSS growth per joined member, KiB. */
    double rssPerConnection() {
        return (double) (rssJoined - rssBefore) / Math.max(1, joined.size());
    }
}
