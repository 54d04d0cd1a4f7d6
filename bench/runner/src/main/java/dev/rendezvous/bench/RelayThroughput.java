package dev.rendezvous.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many signals one node relays a second when nothing waits but the relay itself: a closed loop
 * in two-member rooms, each arrival answered at once by a signal back, a fixed number of signals in
 * flight per room. Also what each relayed signal costs the server in CPU time ({@code /proc}).
 */
final class RelayThroughput implements Scenario {

    private static final int TARGET_PER_SECOND = 100_000;

    @Override
    public String name() {
        return "relay-throughput";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        Servers server = Servers.sharedWarm(settings, affinity);
        int rooms = settings.smoke() ? 20 : 200;
        Duration warmup = settings.smoke() ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
        Duration measure = settings.smoke() ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
        Table table = new Table("envelope", "delivered msgs/s", "target", "", "server CPU µs/msg", "server context switches/msg",
                "server cores busy", "generator cores busy", "sent", "lost", "load avg");
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Case c : List.of(new Case(250, false), new Case(3072, false), new Case(250, true), new Case(3072, true))) {
            int bytes = c.bytes();
            String label = bytes + " B" + (c.floor() ? ", container floor" : "");
            Bench.progress("relay-throughput: " + label + ", " + rooms + " rooms");
            ClosedLoop run = new ClosedLoop(c.floor() ? server.floor(0) : server.node(0), rooms, bytes);
            try {
                run.start(affinity);
                Servers.pause(warmup);
                long delivered = run.delivered.get();
                long serverCpu = ProcFs.cpuNanos(server.pid(0));
                long switches = ProcFs.contextSwitches(server.pid(0));
                Map<String, long[]> threadsBefore = ProcFs.cpuByThreadGroup(server.pid(0));
                long generatorCpu = ProcFs.cpuNanos(ProcessHandle.current().pid());
                long start = System.nanoTime();
                Servers.pause(measure);
                double seconds = (System.nanoTime() - start) / 1e9;
                long relayed = run.delivered.get() - delivered;
                double serverCpuNanos = ProcFs.cpuNanos(server.pid(0)) - serverCpu;
                long switched = ProcFs.contextSwitches(server.pid(0)) - switches;
                Map<String, long[]> threadsAfter = ProcFs.cpuByThreadGroup(server.pid(0));
                double generatorCpuNanos = ProcFs.cpuNanos(ProcessHandle.current().pid()) - generatorCpu;
                run.stop();
                double rate = relayed / seconds;
                boolean targeted = bytes == 250 && !c.floor();
                table.add(label, (long) rate, targeted ? "≥ 100,000" : "-",
                        targeted ? (rate >= TARGET_PER_SECOND ? "met" : "missed") : "",
                        relayed == 0 ? Double.NaN : serverCpuNanos / relayed / 1e3, (double) switched / Math.max(1, relayed),
                        serverCpuNanos / 1e9 / seconds,
                        generatorCpuNanos / 1e9 / seconds, run.sent.get(), run.sent.get() - run.delivered.get(), Load.now());
                if (run.sent.get() != run.delivered.get() || run.misrouted.get() > 0) {
                    failures.add(String.format(Locale.ROOT, "relay-throughput %s: %d sent, %d delivered, %d misrouted",
                            label, run.sent.get(), run.delivered.get(), run.misrouted.get()));
                }
                run.problems.stream().limit(10).map(problem -> "relay-throughput " + label + ": " + problem).forEach(failures::add);
                notes.add(label + ": where the server's CPU went (threads by name, µs per relayed message, user + system):");
                notes.add("  " + ProcFs.busiestThreads(threadsBefore, threadsAfter, Math.max(relayed, 1) * 1e3));
            } finally {
                run.close();
            }
        }
        notes.add("Container floor: the same loop through FloorEndpoint, deployed beside the product on the same node, which"
                + " passes each frame to the other socket with \"from\" spliced in as text (no JSON, limits, queue or metrics):"
                + " what the WebSocket stack of " + settings.containerName() + " costs by itself.");
        notes.add(server.warmup());
        notes.add("CPU is the server process's user + system time (/proc/<pid>/stat, every thread, GC and JIT included) over the"
                + " measured window, divided by the signals relayed in it; 'cores busy' is that time per second of wall clock.");
        String title = String.format(Locale.ROOT,
                "Relay throughput, closed loop: %d two-member rooms, %d signals in flight per room, each arrival answered at once;"
                        + " %d s warm-up, %d s measured; %s",
                rooms, ClosedLoop.IN_FLIGHT, warmup.toSeconds(), measure.toSeconds(), affinity);
        return new Report(title, table, notes, failures);
    }

    /** One row: envelope size, and whether through the product or the container floor. */
    private record Case(int bytes, boolean floor) {
    }
}
