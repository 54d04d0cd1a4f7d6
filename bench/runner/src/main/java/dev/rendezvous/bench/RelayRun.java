package dev.rendezvous.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One run of relayed signals: in each of {@code rooms} two-member rooms a sender on one node offers
 * to a receiver on another (or the same) node, at the settings' rate in all, numbered and stamped
 * with when each was due ({@code sdp = "<seq>:<nanoTime>"}); first for the warm-up, unmeasured,
 * then for the measurement. The receivers sit in this JVM, so one clock measures the whole trip.
 */
final class RelayRun {

    private static final Duration DRAIN = Duration.ofSeconds(15);

    /**
     * A run's outcome: latencies of the measured messages and the counts, how late the generator
     * was, the machine's load average at the end, and what went wrong; and when a server was named,
     * its CPU time and context switches over the measured schedule and its drain; and this generator's
     * own CPU time over the same window, and how long that window was.
     */
    record Result(String label, Deliveries deliveries, Latencies lateness, double load, List<String> problems,
                  long measuredServerCpuNanos, long measuredServerSwitches, long generatorCpuNanos, long measuredNanos) {

        /** The generator's CPU over the measured window, as a fraction of one core. */
        double generatorBusy() {
            return (double) generatorCpuNanos / Math.max(1, measuredNanos);
        }
    }

    private record Pair(WireMember sender, WireMember receiver, String senderId, String receiverId) {
    }

    private RelayRun() {
    }

    static Result run(String label, Settings settings, Affinity affinity, URI senderNode, URI receiverNode) {
        return run(label, settings, affinity, Target.product(senderNode, -1), Target.product(receiverNode, -1), -1);
    }

    /**
     * {@link #run}, also reading the CPU time process {@code serverPid} spends from the first measured
     * signal until the last has arrived, and its context switches (the result's {@code measuredServerCpuNanos}
     * and {@code measuredServerSwitches}; 0 if the pid is negative).
     */
    static Result run(String label, Settings settings, Affinity affinity, Target senderNode, Target receiverNode, long serverPid) {
        int total = (int) Math.round(settings.rate() * (settings.warmup().toNanos() + settings.measure().toNanos()) / 1e9);
        int firstMeasured = (int) Math.round(settings.rate() * settings.warmup().toNanos() / 1e9);
        Deliveries deliveries = new Deliveries(total, firstMeasured);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        String tag = label.replaceAll("[^A-Za-z0-9]+", "-") + "-" + Long.toHexString(System.nanoTime());
        List<Pair> pairs = new ArrayList<>();
        try {
            for (int r = 0; r < settings.rooms(); r++) {
                int index = r;
                Pair[] self = new Pair[1];
                WireMember receiver = WireMember.join(receiverNode, tag + "-" + r, 0,
                        (from, sdp, arrivedAt) -> {
                            int colon = sdp.indexOf(':');
                            int seq = Integer.parseInt(sdp, 0, colon, 10);
                            long dueAt = Long.parseLong(sdp, colon + 1, sdp.length(), 10);
                            Pair pair = self[0];
                            deliveries.arrived(seq, dueAt, arrivedAt,
                                    pair != null && from.equals(pair.senderId()) && seq % settings.rooms() == index);
                        }, problems::add);
                WireMember sender = WireMember.join(senderNode, tag + "-" + r, 1,
                        (from, sdp, arrivedAt) -> problems.add("a sender was sent " + sdp), problems::add);
                if (!sender.peers().contains(receiver.id())) {
                    throw new IllegalStateException(label + ": room " + tag + "-" + r + " on " + senderNode.base()
                            + " does not list the member that joined it on " + receiverNode.base());
                }
                self[0] = new Pair(sender, receiver, sender.id(), receiver.id());
                pairs.add(self[0]);
            }
            affinity.generator();
            OpenLoop.Sender offer = (seq, dueAt) -> {
                Pair pair = pairs.get(seq % pairs.size());
                pair.sender().send(senderNode.dialect().offer(pair.receiverId(), seq + ":" + dueAt));
            };
            // Warm-up and measurement are two schedules with a drain between them, so a backlog the
            // cold servers built up (JIT compilers share their core) never spills into the figures.
            OpenLoop.run(0, firstMeasured, settings.rate(), offer);
            drain(deliveries, firstMeasured);
            long cpu = serverPid < 0 ? 0 : ProcFs.cpuNanos(serverPid);
            long switches = serverPid < 0 ? 0 : ProcFs.contextSwitches(serverPid);
            long generator = ProcFs.cpuNanos(ProcessHandle.current().pid());
            long start = System.nanoTime();
            Latencies lateness = OpenLoop.run(firstMeasured, total, settings.rate(), offer);
            drain(deliveries, total);
            long measuredCpu = serverPid < 0 ? 0 : ProcFs.cpuNanos(serverPid) - cpu;
            long measuredSwitches = serverPid < 0 ? 0 : ProcFs.contextSwitches(serverPid) - switches;
            return new Result(label, deliveries, lateness, Load.now(), List.copyOf(problems), measuredCpu, measuredSwitches,
                    ProcFs.cpuNanos(ProcessHandle.current().pid()) - generator, System.nanoTime() - start);
        } finally {
            for (Pair pair : pairs) {
                pair.sender().leave();
                pair.receiver().leave();
            }
        }
    }

    /** Waits until {@code count} messages have arrived, or for {@link #DRAIN} if some never do. */
    private static void drain(Deliveries deliveries, int count) {
        long until = System.nanoTime() + DRAIN.toNanos();
        while (deliveries.delivered() < count && System.nanoTime() < until) {
            Servers.pause(Duration.ofMillis(20));
        }
    }
}
