package dev.rendezvous.bench;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The benchmark's entry point: runs the scenarios {@code bench.scenarios} names ({@code all} for
 * every one) and prints a table for each. Ends with an exception, and so a non-zero exit of the
 * build, when any scenario lost, duplicated or misrouted a message or saw an error.
 */
public final class Bench {

    private static final Map<String, Supplier<Scenario>> SCENARIOS = new LinkedHashMap<>();

    static {
        register(RelayLatency::new);
        // First on the shared node: its memory is read before other scenarios have grown the heap.
        register(IdleConnections::new);
        register(RelayThroughput::new);
        register(GeneratorCeiling::new);
        register(InProcessRelay::new);
        register(JoinStorm::new);
        // Last: the loads they offer may be more than one node relays, and the backlog they leave would weigh on the others.
        register(FanOut::new);
        register(RelayUnderLoad::new);
        // After everything measured: a recording slows the server, and leaves it slower for a while.
        register(ServerHotMethods::new);
    }

    private Bench() {
    }

    private static void register(Supplier<Scenario> scenario) {
        SCENARIOS.put(scenario.get().name(), scenario);
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        Settings settings = Settings.fromSystemProperties();
        Affinity affinity = Affinity.of(settings);
        List<Scenario> chosen = new ArrayList<>();
        for (String name : settings.scenarios()) {
            if (name.equals("all")) {
                SCENARIOS.values().forEach(scenario -> chosen.add(scenario.get()));
            } else if (SCENARIOS.containsKey(name)) {
                chosen.add(SCENARIOS.get(name).get());
            } else {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: all, " + String.join(", ", SCENARIOS.keySet()));
            }
        }
        System.out.printf(Locale.ROOT, "Rendezvous benchmark%s, %s; Java %s, %d CPUs, load average %s; %s; shared node on %s;"
                        + " generator: %s%n",
                settings.smoke() ? " (smoke)" : "", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Load.all(), affinity, settings.containerName(), Wire.shared().transport());
        List<String> failures = new ArrayList<>();
        try {
            for (Scenario scenario : chosen) {
                String unavailable = scenario.unavailable(settings);
                if (unavailable != null) {
                    System.out.printf("%nSkipped %s on %s: %s.%n", scenario.name(), settings.containerName(), unavailable);
                    continue;
                }
                Report report = scenario.run(settings, affinity);
                System.out.println();
                System.out.println(report.title());
                System.out.print(report.table().render());
                report.notes().forEach(System.out::println);
                Table sideBySide = SideBySide.fresh();
                if (sideBySide != null) {
                    System.out.println("Side by side:");
                    System.out.print(sideBySide.render());
                }
                report.failures().forEach(failure -> System.out.println("FAILED: " + failure));
                failures.addAll(report.failures());
                System.out.println();
            }
        } finally {
            Servers.closeShared();
            Targets.close();
            Wire.closeShared();
        }
        affinity.release();
        Table sideBySide = SideBySide.all();
        if (sideBySide != null) {
            System.out.printf("%nSide by side, this run (servers each on one core; load average %s at the end):%n", Load.all());
            System.out.print(sideBySide.render());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("%nBenchmark took %d s.%n", took.toSeconds());
        if (!failures.isEmpty()) {
            throw new IllegalStateException("benchmark failed: " + failures.size() + " problem(s), first: " + failures.get(0));
        }
    }

    /** A line saying what the benchmark is doing, so a long run is not silent. */
    static void progress(String what) {
        System.out.printf("[bench %s] %s%n", LocalDateTime.now().toLocalTime().truncatedTo(ChronoUnit.SECONDS), what);
    }
}
