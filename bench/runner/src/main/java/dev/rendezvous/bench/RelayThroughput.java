package dev.rendezvous.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many signals a server relays a second when nothing waits but the relay itself: a closed loop
 * in two-member rooms, each arrival answered at once by a signal back, a fixed number of signals in
 * flight per room; PeerJS, the product and the container floor in turn, at each envelope size. Also
 * what each relayed signal costs the server in CPU time ({@code /proc}), and what the generator
 * spent driving it.
 */
final class RelayThroughput implements Scenario {

    private static final int TARGET_PER_SECOND = 100_000;
    /** The fastest server's rate at each envelope size in this run, for {@link GeneratorCeiling} to compare with. */
    static final Map<Integer, Double> FASTEST = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "relay-throughput";
    }

    /** One measured window of one server's loop. */
    private record Round(double rate, double cpu, double switches, double serverBusy, double generatorBusy,
            double generatorMicros, long sent, long delivered, long misrouted, List<String> problems, String threads) {
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        List<Target> targets = Targets.warm(settings, affinity);
        int rooms = settings.smoke() ? 20 : 200;
        Duration warmup = settings.smoke() ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
        Duration measure = settings.smoke() ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
        int rounds = settings.rounds();
        Table table = new Table("envelope", "server", "delivered msgs/s", "target", "", "server CPU µs/msg",
                "server context switches/msg", "server cores busy", "generator cores busy", "generator CPU µs/msg",
                "server ÷ generator CPU", "sent", "lost", "msgs/s by round", "CPU µs/msg by round", "load avg");
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // A smoke run keeps to one size: the other takes the same path.
        for (int bytes : settings.smoke() ? List.of(250) : List.of(250, 3072)) {
            List<List<Round>> measured = new ArrayList<>();
            targets.forEach(target -> measured.add(new ArrayList<>()));
            // The servers take turns round after round, so that a neighbour's busy spell on this
            // shared machine falls on one server's round, and the median round leaves it out.
            for (int round = 1; round <= rounds; round++) {
                for (int t = 0; t < targets.size(); t++) {
                    Target target = targets.get(t);
                    String label = bytes + " B, " + target.name();
                    Bench.progress("relay-throughput: " + label + ", " + rooms + " rooms, round " + round + " of " + rounds);
                    Round result = measure(target, rooms, bytes, warmup, measure, affinity);
                    measured.get(t).add(result);
                    if (result.sent() != result.delivered() || result.misrouted() > 0) {
                        failures.add(String.format(Locale.ROOT, "relay-throughput %s, round %d: %d sent, %d delivered, %d misrouted",
                                label, round, result.sent(), result.delivered(), result.misrouted()));
                    }
                    result.problems().stream().limit(10).map(problem -> "relay-throughput " + label + ": " + problem)
                            .forEach(failures::add);
                }
            }
            double[] rate = new double[3];
            double[] cpu = new double[3];
            double[] generator = new double[3];
            double[] generatorMicros = new double[3];
            for (int t = 0; t < targets.size(); t++) {
                Target target = targets.get(t);
                List<Round> all = measured.get(t);
                rate[t] = Median.of(all, Round::rate);
                cpu[t] = Median.of(all, Round::cpu);
                generator[t] = Median.of(all, Round::generatorBusy);
                generatorMicros[t] = Median.of(all, Round::generatorMicros);
                boolean targeted = bytes == 250 && target.name().equals(Target.PRODUCT);
                long sent = all.stream().mapToLong(Round::sent).sum();
                table.add(bytes + " B", target.name(), (long) rate[t], targeted ? "≥ 100,000" : "-",
                        targeted ? (rate[t] >= TARGET_PER_SECOND ? "met" : "missed") : "", cpu[t],
                        Median.of(all, Round::switches), Median.of(all, Round::serverBusy), generator[t], generatorMicros[t],
                        String.format(Locale.ROOT, "%.1f×", cpu[t] / generatorMicros[t]),
                        sent, sent - all.stream().mapToLong(Round::delivered).sum(), Median.each(all, Round::rate, "%.0f"),
                        Median.each(all, Round::cpu, "%.1f"), Load.now());
                notes.add(bytes + " B, " + target.name() + ": where the server's CPU went in the last round (threads by name,"
                        + " µs per relayed message, user + system):");
                notes.add("  " + all.get(all.size() - 1).threads());
            }
            FASTEST.put(bytes, Math.max(rate[0], Math.max(rate[1], rate[2])));
            SideBySide.add("relay-throughput " + bytes + " B, msgs/s", "%,.0f", rate[0], rate[1], rate[2], generator);
            SideBySide.add("relay-throughput " + bytes + " B, server CPU µs/msg", "%.1f", cpu[0], cpu[1], cpu[2], generator);
            SideBySide.add("relay-throughput " + bytes + " B, generator CPU µs/msg", "%.1f", generatorMicros[0], generatorMicros[1],
                    generatorMicros[2], generator);
        }
        notes.add("Each figure is " + Median.of(rounds) + ", the servers taking turns in each; the table gives every"
                + " round's rate and CPU per message too.");
        notes.add("Container floor: the same loop through FloorEndpoint, deployed beside the product on the same node, which"
                + " passes each frame to the other socket with \"from\" spliced in as text (no JSON, limits, queue or metrics):"
                + " what the WebSocket stack of " + settings.containerName() + " costs by itself. PeerJS: two peers addressing"
                + " each other, OFFER with the same padding, the envelope the same size on the wire.");
        notes.addAll(Targets.warmups(settings, affinity));
        notes.add("CPU is the server process's user + system time (/proc/<pid>/stat, every thread, GC and JIT included) over the"
                + " measured window, divided by the signals relayed in it; 'cores busy' is that time per second of wall clock."
                + " Generator cores busy is this JVM's own CPU over the same window, and generator CPU µs/msg that per signal"
                + " relayed: server ÷ generator CPU is how many times this server's rate the generator could drive on its"
                + " one core, each at its cost per message here (generator-ceiling measures it directly).");
        String title = String.format(Locale.ROOT,
                "Relay throughput, closed loop: %d two-member rooms, %d signals in flight per room, each arrival answered at once;"
                        + " %s, the servers taking turns, each a new loop with %d s warm-up and %d s measured; %s",
                rooms, ClosedLoop.IN_FLIGHT, rounds == 1 ? "one round" : rounds + " rounds", warmup.toSeconds(), measure.toSeconds(),
                affinity);
        return new Report(title, table, notes, failures);
    }

    private static Round measure(Target target, int rooms, int bytes, Duration warmup, Duration measure, Affinity affinity) {
        ClosedLoop run = new ClosedLoop(target, rooms, bytes);
        try {
            run.start(affinity);
            Servers.pause(warmup);
            long pid = target.pid();
            long self = ProcessHandle.current().pid();
            long delivered = run.delivered.get();
            long serverCpu = ProcFs.cpuNanos(pid);
            long switches = ProcFs.contextSwitches(pid);
            Map<String, long[]> threadsBefore = ProcFs.cpuByThreadGroup(pid);
            long generatorCpu = ProcFs.cpuNanos(self);
            long start = System.nanoTime();
            Servers.pause(measure);
            double seconds = (System.nanoTime() - start) / 1e9;
            long relayed = run.delivered.get() - delivered;
            double serverCpuNanos = ProcFs.cpuNanos(pid) - serverCpu;
            long switched = ProcFs.contextSwitches(pid) - switches;
            Map<String, long[]> threadsAfter = ProcFs.cpuByThreadGroup(pid);
            double generatorBusy = (ProcFs.cpuNanos(self) - generatorCpu) / 1e9 / seconds;
            run.stop();
            return new Round(relayed / seconds, relayed == 0 ? Double.NaN : serverCpuNanos / relayed / 1e3,
                    (double) switched / Math.max(1, relayed), serverCpuNanos / 1e9 / seconds, generatorBusy,
                    relayed == 0 ? Double.NaN : generatorBusy * seconds * 1e6 / relayed, run.sent.get(), run.delivered.get(),
                    run.misrouted.get(), List.copyOf(run.problems),
                    ProcFs.busiestThreads(threadsBefore, threadsAfter, Math.max(relayed, 1) * 1e3));
        } finally {
            run.close();
        }
    }
}
