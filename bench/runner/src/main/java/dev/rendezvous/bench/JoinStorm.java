package dev.rendezvous.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many clients joining at once, as after a deploy or a network blip: every connect is started
 * without waiting for any other, two clients to a room; PeerJS, the product and the container floor
 * taking turns, storm after storm. Measures joins a second (all of them, first connect to last
 * greeting) and each client's time from connect to its greeting ({@code welcome}; PeerJS's
 * {@code OPEN}).
 *
 * <p>The first storm meets the join path as the scenarios before left it (run alone, after the
 * speed warm-up, which only relays: never run), and is reported apart. Then each server storms
 * until its JIT compiler has gone quiet on the join path, as the relay warm-up waits for it on the
 * relay path (all of them storm, taking turns, until the last is warm): the figures compared are
 * the median of the storms after that, on warmed servers as every other speed figure. A server
 * still compiling after the most warm-up storms is measured as it is, and the report says so.
 */
final class JoinStorm implements Scenario {

    /** Storms per server not measured, at the least (the first of them is reported as the first storm). */
    private static final int WARMUP_STORMS = 2;
    /** Storms per server not measured, at the most, however busy its compiler stays. */
    private static final int MOST_WARMUP_STORMS = 24;
    /** Warm: the JIT compiler threads took at most this share of the server's CPU in each of its last two storms. */
    private static final double QUIET_COMPILER = 0.02;
    /** Storms per server measured after them; each figure is their median. */
    private static final int MEASURED_STORMS = 3;

    /** One storm's outcome. */
    private record Storm(int greeted, int failed, double rate, double p50, double p99, double max, double serverMicros,
                         double compiler, double generator, List<String> problems) {
    }

    @Override
    public String name() {
        return "join-storm";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        List<Target> targets = Targets.warm(settings, affinity);
        int clients = settings.smoke() ? 100 : 2_000;
        int leastWarmups = settings.smoke() ? 1 : WARMUP_STORMS;
        int mostWarmups = settings.smoke() ? 1 : MOST_WARMUP_STORMS;
        int measured = settings.smoke() ? 1 : MEASURED_STORMS;
        Duration pause = Duration.ofSeconds(settings.smoke() ? 1 : 5);
        Table table = new Table("server", "storms", "clients each", "greeted", "failed", "joins/s", "p50 ms", "p99 ms", "max ms",
                "server CPU µs per client, join to close", "JIT compiler % of server CPU", "generator cores busy", "load avg");
        List<String> failures = new ArrayList<>();
        List<List<Storm>> storms = new ArrayList<>();
        targets.forEach(target -> storms.add(new ArrayList<>()));
        // The servers take turns, so that what the machine does meanwhile falls on each alike, and
        // all storm until the last is warm: one left waiting meanwhile does not meet the same storm.
        int warmups = 0;
        while (warmups < mostWarmups && (warmups < leastWarmups || !storms.stream().allMatch(JoinStorm::warm))) {
            warmups++;
            for (int t = 0; t < targets.size(); t++) {
                stormOn(targets.get(t), String.format(Locale.ROOT, "warm-up storm %d", warmups), clients, affinity, pause,
                        storms.get(t), failures);
            }
        }
        for (int round = 0; round < measured; round++) {
            for (int t = 0; t < targets.size(); t++) {
                stormOn(targets.get(t), String.format(Locale.ROOT, "measured storm %d of %d", round + 1, measured), clients,
                        affinity, pause, storms.get(t), failures);
            }
        }
        double[] firstRate = new double[3];
        double[] firstP99 = new double[3];
        double[] firstGenerator = new double[3];
        double[] rate = new double[3];
        double[] p99 = new double[3];
        double[] generator = new double[3];
        double[] serverMicros = new double[3];
        for (int t = 0; t < targets.size(); t++) {
            List<Storm> all = storms.get(t);
            Storm first = all.get(0);
            firstRate[t] = first.rate();
            firstP99[t] = first.p99();
            firstGenerator[t] = first.generator();
            table.add(targets.get(t).name(), "first", clients, first.greeted(), first.failed(), first.rate(), first.p50(),
                    first.p99(), first.max(), first.serverMicros(), 100 * first.compiler(), first.generator(), Load.now());
            List<Storm> counted = all.subList(warmups, all.size());
            rate[t] = median(counted.stream().mapToDouble(Storm::rate).toArray());
            p99[t] = median(counted.stream().mapToDouble(Storm::p99).toArray());
            generator[t] = counted.stream().mapToDouble(Storm::generator).max().orElse(Double.NaN);
            serverMicros[t] = median(counted.stream().mapToDouble(Storm::serverMicros).toArray());
            boolean warmed = settings.smoke() || warm(all.subList(0, warmups));
            table.add(targets.get(t).name(), String.format(Locale.ROOT, "median of %d after %d%s", counted.size(), warmups,
                            warmed ? "" : ", not warm"), clients,
                    counted.stream().mapToInt(Storm::greeted).min().orElse(0), counted.stream().mapToInt(Storm::failed).sum(), rate[t],
                    median(counted.stream().mapToDouble(Storm::p50).toArray()), p99[t],
                    counted.stream().mapToDouble(Storm::max).max().orElse(Double.NaN), serverMicros[t],
                    100 * median(counted.stream().mapToDouble(Storm::compiler).toArray()), generator[t], Load.now());
        }
        SideBySide.add("join-storm, joins/s", "%,.0f", rate[0], rate[1], rate[2], generator);
        SideBySide.add("join-storm, p99 ms to welcome (PeerJS: OPEN)", "%.0f", p99[0], p99[1], p99[2], generator);
        SideBySide.add("join-storm, server CPU µs per client, join to close", "%,.0f", serverMicros[0], serverMicros[1], serverMicros[2],
                generator);
        SideBySide.add("join-storm, first storm, joins/s", "%,.0f", firstRate[0], firstRate[1], firstRate[2], firstGenerator);
        SideBySide.add("join-storm, first storm, p99 ms to welcome", "%.0f", firstP99[0], firstP99[1], firstP99[2], firstGenerator);
        String title = String.format(Locale.ROOT,
                "Join storm: %,d clients started at once into %,d rooms (PeerJS: pairs of peers), one server on one core, the servers"
                        + " taking turns, %d measured storms each after warm-up storms; time from starting the connect to the welcome"
                        + " (PeerJS: OPEN); %s",
                clients, clients / 2, measured, affinity);
        return new Report(title, table, List.of("The first storm meets each server's join path as the scenarios before left it"
                + " (run alone, after the relay warm-up only: never run). The servers then storm in turn until each one's JIT compiler"
                + " took at most " + Math.round(QUIET_COMPILER * 100) + " % of its CPU in each of its last two storms (at least " + leastWarmups
                + " warm-up storms, at most " + mostWarmups + "; \"not warm\" when the most were not enough; a server with no JIT"
                + " compiler threads, as Node.js, counts as quiet); the figures compared side by side are the median of the storms"
                + " after its warm-up (generator cores busy: the most of them).",
                "JIT compiler % of server CPU: the CPU of the process's JIT compiler threads over the server's, connect to 5 s after"
                        + " the leaves.",
                "Server CPU per client, join to close: the server's CPU from the first connect until " + pause.toSeconds() + " s after"
                        + " every member was told to leave, over the clients (the product and the floor share a process and take"
                        + " turns; its idle work in those seconds counts too).",
                "Generator cores busy is this JVM's own CPU from the first connect until every join completed, per second of wall clock."),
                failures);
    }

    private static void stormOn(Target target, String which, int clients, Affinity affinity, Duration pause, List<Storm> into,
                                List<String> failures) {
        Bench.progress(String.format(Locale.ROOT, "join-storm, %s: %d clients into %d rooms on %s", which, clients, clients / 2,
                target.name()));
        Storm storm = storm(target, clients, affinity, pause);
        into.add(storm);
        storm.problems().stream().limit(10).map(problem -> "join-storm " + target.name() + ": " + problem).forEach(failures::add);
    }

    /** Whether the compiler was quiet in the last two of {@code storms}. */
    private static boolean warm(List<Storm> storms) {
        int n = storms.size();
        return n >= 2 && storms.get(n - 1).compiler() <= QUIET_COMPILER && storms.get(n - 2).compiler() <= QUIET_COMPILER;
    }

    /**
     * {@code clients} connects started at once, two to a room, each member leaving once all are in;
     * returns after {@code pause} more, for the leaves to close their sockets before the next storm.
     */
    private static Storm storm(Target target, int clients, Affinity affinity, Duration pause) {
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Latencies toGreeting = new Latencies();
        AtomicLong lastGreeting = new AtomicLong();
        String tag = "storm-" + Long.toHexString(System.nanoTime());
        List<CompletableFuture<WireMember>> joins = new ArrayList<>();
        affinity.generator();
        long generatorCpu = ProcFs.cpuNanos(ProcessHandle.current().pid());
        long serverCpu = ProcFs.cpuNanos(target.pid());
        long compilerCpu = Warmup.compilerNanos(target.pid());
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            long connectAt = System.nanoTime();
            joins.add(WireMember.joining(target, tag + "-" + i / 2, i % 2,
                    (from, payload, at) -> problems.add("a joining client was sent " + payload), problems::add)
                    .whenComplete((member, failure) -> {
                        if (failure == null) {
                            long now = System.nanoTime();
                            toGreeting.record(now - connectAt);
                            lastGreeting.accumulateAndGet(now, Math::max);
                        }
                    }));
        }
        List<WireMember> joined = new ArrayList<>();
        int failed = WireMember.await(joins, joined, problems);
        double seconds = (lastGreeting.get() - start) / 1e9;
        double generator = (ProcFs.cpuNanos(ProcessHandle.current().pid()) - generatorCpu) / 1e9 / ((System.nanoTime() - start) / 1e9);
        joined.forEach(WireMember::leave);
        Servers.pause(pause);
        long serverNanos = ProcFs.cpuNanos(target.pid()) - serverCpu;
        // A compiler thread that ended takes its time with it: a negative difference counts as quiet.
        double compiler = serverNanos <= 0 ? 0 : Math.max(0, Warmup.compilerNanos(target.pid()) - compilerCpu) / (double) serverNanos;
        double serverMicros = serverNanos / 1e3 / clients;
        boolean any = !joined.isEmpty();
        return new Storm(joined.size(), failed, any ? joined.size() / seconds : Double.NaN, any ? toGreeting.millis(50) : Double.NaN,
                any ? toGreeting.millis(99) : Double.NaN, any ? toGreeting.millis(100) : Double.NaN, serverMicros, compiler, generator,
                List.copyOf(problems));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }
}
