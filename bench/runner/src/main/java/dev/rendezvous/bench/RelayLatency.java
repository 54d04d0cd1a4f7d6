package dev.rendezvous.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * How much a data grid adds to relaying one signal: the same offered load through one node, through
 * a two-node cluster with both members of each room on the first node (the grid's cost on the local
 * path), and with the sender on the first node and the receiver on the second. All three servers
 * run throughout and the cases take turns, round after round, so that other work on the machine
 * falls on every case alike; each figure is the median of the rounds.
 */
final class RelayLatency implements Scenario {

    private static final String SINGLE = "single node";
    private static final String SAME = "cluster, same-node pairs";
    private static final String CROSS = "cluster, cross-node pairs";

    @Override
    public String name() {
        return "relay-latency";
    }

    @Override
    public String unavailable(Settings settings) {
        return settings.onWildFly() ? "its cluster runs on Payara Micro's data grid, which WildFly does not have" : null;
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        Map<String, List<RelayRun.Result>> cases = new LinkedHashMap<>();
        List.of(SINGLE, SAME, CROSS).forEach(label -> cases.put(label, new ArrayList<>()));
        List<String> notes = new ArrayList<>();
        Bench.progress("relay-latency: booting one node and a two-node cluster");
        CompletableFuture<Servers> booting = CompletableFuture.supplyAsync(() -> Servers.single(settings, affinity),
                boot -> new Thread(boot, "bench-boot-single").start());
        Servers two;
        try {
            two = Servers.cluster(settings, affinity);
        } catch (RuntimeException e) {
            booting.join().close();
            throw e;
        }
        try (two; Servers one = booting.join()) {
            notes.add(String.format(Locale.ROOT, "The data grid formed %.1f s after both nodes were deployed.",
                    two.formedIn().toMillis() / 1e3));
            for (int round = 1; round <= settings.rounds(); round++) {
                Bench.progress("relay-latency: round " + round + " of " + settings.rounds());
                cases.get(SINGLE).add(RelayRun.run(SINGLE, settings, affinity, one.node(0), one.node(0)));
                cases.get(SAME).add(RelayRun.run(SAME, settings, affinity, two.node(0), two.node(0)));
                cases.get(CROSS).add(RelayRun.run(CROSS, settings, affinity, two.node(0), two.node(1)));
            }
        }
        Table table = new Table("case", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "p99 by round ms",
                "sent", "delivered", "lost", "duplicated", "generator late p99 ms", "load avg");
        List<String> failures = new ArrayList<>();
        cases.forEach((label, rounds) -> {
            table.add(label, median(rounds, l -> l.millis(50)), median(rounds, l -> l.millis(99)),
                    median(rounds, l -> l.millis(99.9)),
                    rounds.stream().mapToDouble(r -> r.deliveries().latencies().millis(100)).max().orElse(Double.NaN),
                    rounds.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.deliveries().latencies().millis(99)))
                            .collect(Collectors.joining(" ")),
                    sum(rounds, Deliveries::total), sum(rounds, Deliveries::delivered), sum(rounds, Deliveries::lost),
                    sum(rounds, Deliveries::duplicated),
                    medianOf(rounds, r -> r.lateness().millis(99)), medianOf(rounds, RelayRun.Result::load));
            for (RelayRun.Result result : rounds) {
                Deliveries d = result.deliveries();
                if (d.lost() > 0 || d.duplicated() > 0 || d.misrouted() > 0) {
                    failures.add(String.format(Locale.ROOT, "%s: %d lost, %d duplicated, %d misrouted of %d",
                            label, d.lost(), d.duplicated(), d.misrouted(), d.total()));
                }
                result.problems().stream().limit(10).map(problem -> label + ": " + problem).forEach(failures::add);
            }
        });
        double single = median(cases.get(SINGLE), l -> l.millis(99));
        double same = median(cases.get(SAME), l -> l.millis(99));
        double cross = median(cases.get(CROSS), l -> l.millis(99));
        notes.add(String.format(Locale.ROOT,
                "Cross-instance relay latency: added p99 at %,d msgs/s on loopback: %+.2f ms (cross-node %.2f ms, single node %.2f ms).",
                settings.rate(), cross - single, cross, single));
        notes.add(String.format(Locale.ROOT,
                "Grid on the local path: same-node pairs in the cluster add %+.2f ms at p99 over a single node.", same - single));
        String title = String.format(Locale.ROOT,
                "Relay latency: %,d offers/s in all over %d rooms (%.1f/s per sender); each case %d round(s) of %d s warm-up"
                        + " and %d s measured, figures the median round; %s",
                settings.rate(), settings.rooms(), settings.ratePerSender(), settings.rounds(), settings.warmup().toSeconds(),
                settings.measure().toSeconds(), affinity);
        return new Report(title, table, notes, failures);
    }

    private static double median(List<RelayRun.Result> rounds, ToDoubleFunction<Latencies> figure) {
        return medianOf(rounds, result -> figure.applyAsDouble(result.deliveries().latencies()));
    }

    private static double medianOf(List<RelayRun.Result> rounds, ToDoubleFunction<RelayRun.Result> figure) {
        return Median.of(rounds, figure);
    }

    private static long sum(List<RelayRun.Result> rounds, ToIntFunction<Deliveries> count) {
        return rounds.stream().mapToLong(r -> count.applyAsInt(r.deliveries())).sum();
    }
}
