package dev.rendezvous.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many clients joining at once, as after a deploy or a network blip: every connect is started
 * without waiting for any other, two clients to a room; PeerJS, the product and the container floor
 * in turn. Measures joins a second (all of them, first connect to last greeting) and each client's
 * time from connect to its greeting ({@code welcome}; PeerJS's {@code OPEN}).
 */
final class JoinStorm implements Scenario {

    @Override
    public String name() {
        return "join-storm";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        List<Target> targets = Targets.warm(settings, affinity);
        int clients = settings.smoke() ? 100 : 2_000;
        Table table = new Table("server", "clients", "rooms", "greeted", "failed", "joins/s", "p50 ms", "p99 ms", "max ms",
                "generator cores busy", "load avg");
        List<String> failures = new ArrayList<>();
        double[] rate = new double[3];
        double[] p99 = new double[3];
        double[] generator = new double[3];
        for (int t = 0; t < targets.size(); t++) {
            Target target = targets.get(t);
            Bench.progress("join-storm: " + clients + " clients into " + clients / 2 + " rooms on " + target.name());
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            Latencies toGreeting = new Latencies();
            AtomicLong lastGreeting = new AtomicLong();
            String tag = "storm-" + Long.toHexString(System.nanoTime());
            List<CompletableFuture<WireMember>> joins = new ArrayList<>();
            affinity.generator();
            long generatorCpu = ProcFs.cpuNanos(ProcessHandle.current().pid());
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
            int failed = 0;
            for (CompletableFuture<WireMember> join : joins) {
                try {
                    joined.add(join.join());
                } catch (CompletionException e) {
                    failed++;
                    if (failed <= 10) {
                        problems.add("a join failed: " + e.getCause());
                    }
                }
            }
            double seconds = (lastGreeting.get() - start) / 1e9;
            generator[t] = (ProcFs.cpuNanos(ProcessHandle.current().pid()) - generatorCpu) / 1e9 / ((System.nanoTime() - start) / 1e9);
            joined.forEach(WireMember::leave);
            rate[t] = joined.isEmpty() ? Double.NaN : joined.size() / seconds;
            p99[t] = toGreeting.millis(99);
            table.add(target.name(), clients, clients / 2, joined.size(), failed, rate[t], toGreeting.millis(50), p99[t],
                    toGreeting.millis(100), generator[t], Load.now());
            problems.stream().limit(10).map(problem -> "join-storm " + target.name() + ": " + problem).forEach(failures::add);
            // The leaves above close sockets; the next storm starts once they are gone.
            Servers.pause(Duration.ofSeconds(settings.smoke() ? 1 : 5));
        }
        SideBySide.add("join-storm, joins/s", "%,.0f", rate[0], rate[1], rate[2], generator);
        SideBySide.add("join-storm, p99 ms to welcome (PeerJS: OPEN)", "%.0f", p99[0], p99[1], p99[2], generator);
        String title = String.format(Locale.ROOT,
                "Join storm: %,d clients started at once into %,d rooms (PeerJS: pairs of peers), one server on one core; time"
                        + " from starting the connect to the welcome (PeerJS: OPEN); %s", clients, clients / 2, affinity);
        return new Report(title, table, List.of("Generator cores busy is this JVM's own CPU from the first connect until every"
                + " join completed, per second of wall clock."), failures);
    }
}
