package dev.rendezvous.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Relay latency and delivery at fixed offered loads (the production figures: 2,000 and 10,000
 * signals a second), PeerJS, the product and the container floor in turn, with what each relayed
 * signal costs the server in CPU time and what the generator spent offering it.
 */
final class RelayUnderLoad implements Scenario {

    private static final double TARGET_P99_MS = 2;
    private static final double TARGET_CPU_MICROS = 25;
    private static final int ROOMS = 200;

    @Override
    public String name() {
        return "relay-load";
    }

    /** One measured window of one server at one rate. */
    private record Round(double p50, double p99, double p999, double max, long sent, double delivered, double cpu,
            double switches, double late99, double generatorBusy, double generatorMicros, double load) {
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        List<Target> targets = Targets.warm(settings, affinity);
        List<Integer> rates = settings.loadRates();
        int rooms = settings.smoke() ? 20 : ROOMS;
        int rounds = settings.rounds();
        Table table = new Table("offered msgs/s", "server", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "sent", "delivered %",
                "target", "", "server CPU µs/msg", "target", "", "server context switches/msg", "generator late p99 ms",
                "generator cores busy", "generator CPU µs/msg", "p99 ms by round", "p99.9 ms by round", "CPU µs/msg by round",
                "load avg by round");
        List<String> failures = new ArrayList<>();
        for (int rate : rates) {
            List<List<Round>> measured = new ArrayList<>();
            targets.forEach(target -> measured.add(new ArrayList<>()));
            // The servers take turns round after round, as in relay-throughput: a neighbour's busy
            // spell on this shared machine falls on one server's round, and the median round leaves it out.
            for (int round = 1; round <= rounds; round++) {
                for (int t = 0; t < targets.size(); t++) {
                    Target target = targets.get(t);
                    Bench.progress("relay-load: " + target.name() + ", " + rate + " msgs/s over " + rooms + " rooms, round " + round
                            + " of " + rounds);
                    RelayRun.Result result = RelayRun.run(rate + " msgs/s " + target.name(), settings.at(rate, rooms), affinity,
                            target, target, target.pid());
                    Deliveries d = result.deliveries();
                    trace(settings, rate, target, round, d);
                    Latencies l = d.latencies();
                    long delivered = Math.max(1, d.delivered());
                    measured.get(t).add(new Round(l.millis(50), l.millis(99), l.millis(99.9), l.millis(100), d.total(),
                            100.0 * d.delivered() / d.total(), (double) result.measuredServerCpuNanos() / delivered / 1e3,
                            (double) result.measuredServerSwitches() / delivered, result.lateness().millis(99),
                            result.generatorBusy(), (double) result.generatorCpuNanos() / delivered / 1e3, result.load()));
                    if (d.lost() > 0 || d.duplicated() > 0 || d.misrouted() > 0) {
                        failures.add(String.format(Locale.ROOT, "relay-load %s %d msgs/s, round %d: %d lost, %d duplicated, %d misrouted of %d",
                                target.name(), rate, round, d.lost(), d.duplicated(), d.misrouted(), d.total()));
                    }
                    result.problems().stream().limit(10).map(problem -> "relay-load " + target.name() + " " + rate + ": " + problem)
                            .forEach(failures::add);
                }
            }
            double[][] figures = new double[4][3];
            double[] generator = new double[3];
            for (int t = 0; t < targets.size(); t++) {
                Target target = targets.get(t);
                List<Round> all = measured.get(t);
                double p99 = Median.of(all, Round::p99);
                double micros = Median.of(all, Round::cpu);
                double percent = all.stream().mapToDouble(Round::delivered).min().orElse(Double.NaN);
                boolean checked = rate == 10_000 && target.name().equals(Target.PRODUCT);
                table.add(String.format(Locale.ROOT, "%,d", rate), target.name(), Median.of(all, Round::p50), p99,
                        Median.of(all, Round::p999), Median.of(all, Round::max), all.stream().mapToLong(Round::sent).sum(), percent,
                        checked ? "p99 ≤ 2 ms, 100 %" : "-",
                        checked ? (p99 <= TARGET_P99_MS && percent == 100 ? "met" : "missed") : "",
                        micros, checked ? "≤ 25" : "-", checked ? (micros <= TARGET_CPU_MICROS ? "met" : "missed") : "",
                        Median.of(all, Round::switches), Median.of(all, Round::late99), Median.of(all, Round::generatorBusy),
                        Median.of(all, Round::generatorMicros), Median.each(all, Round::p99, "%.2f"), Median.each(all, Round::p999, "%.2f"),
                        Median.each(all, Round::cpu, "%.1f"), Median.each(all, Round::load, "%.1f"));
                figures[0][t] = micros;
                figures[1][t] = p99;
                figures[2][t] = Median.of(all, Round::p999);
                figures[3][t] = percent;
                generator[t] = Median.of(all, Round::generatorBusy);
            }
            String at = String.format(Locale.ROOT, "relay-load %,d msgs/s, ", rate);
            SideBySide.add(at + "server CPU µs/msg", "%.1f", figures[0][0], figures[0][1], figures[0][2], generator);
            SideBySide.add(at + "p99 ms", "%.2f", figures[1][0], figures[1][1], figures[1][2], generator);
            SideBySide.add(at + "p99.9 ms", "%.2f", figures[2][0], figures[2][1], figures[2][2], generator);
            SideBySide.add(at + "% delivered", "%.2f", figures[3][0], figures[3][1], figures[3][2], generator);
        }
        List<String> notes = new ArrayList<>(List.of("Each figure is " + Median.of(rounds) + ", the servers taking"
                + " turns in each (delivered %: the lowest round; sent: all rounds); the table gives every round's p99, p99.9 and"
                + " CPU per message too.", "Server CPU per message is the server's user + system time (/proc/<pid>/stat,"
                + " every thread) from the first measured signal until the last arrived, divided by the measured signals; at a fixed"
                + " load it includes what the server spends while waiting for work (heartbeats, timers, the JIT). Context switches"
                + " are the server threads' voluntary and involuntary ones (/proc/<pid>/task/*/status) over the same window:"
                + " each is a thread going to sleep for want of work and being woken for the next. Generator cores busy is this"
                + " JVM's own CPU over the same window."));
        notes.addAll(Targets.warmups(settings, affinity));
        String title = String.format(Locale.ROOT,
                "Relay latency at fixed offered loads, one server on one core: %d two-member rooms (PeerJS: pairs of peers);"
                        + " %s, the servers taking turns, each new rooms with %d s warm-up and %d s measured; latency from when"
                        + " each signal was due; %s",
                rooms, rounds == 1 ? "one round" : rounds + " rounds", settings.warmup().toSeconds(), settings.measure().toSeconds(),
                affinity);
        return new Report(title, table, notes, failures);
    }

    /** With {@code bench.trace} set, writes the round's signals there: {@code relay-load-RATE-SERVER-ROUND.tsv}. */
    private static void trace(Settings settings, int rate, Target target, int round, Deliveries deliveries) {
        if (settings.trace().isEmpty()) {
            return;
        }
        Path file = Path.of(settings.trace(), "relay-load-" + rate + "-" + target.name() + "-" + round + ".tsv");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, deliveries.trace());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the trace " + file, e);
        }
    }
}
