package dev.rendezvous.bench;

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

    @Override
    public Report run(Settings settings, Affinity affinity) {
        List<Target> targets = Targets.warm(settings, affinity);
        List<Integer> rates = settings.smoke() ? List.of(500) : List.of(2_000, 10_000);
        int rooms = settings.smoke() ? 20 : ROOMS;
        Table table = new Table("offered msgs/s", "server", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "sent", "delivered %",
                "target", "", "server CPU µs/msg", "target", "", "server context switches/msg", "generator late p99 ms",
                "generator cores busy", "generator CPU µs/msg", "load avg");
        List<String> failures = new ArrayList<>();
        for (int rate : rates) {
            double[][] figures = new double[4][3];
            double[] generator = new double[3];
            for (int t = 0; t < targets.size(); t++) {
                Target target = targets.get(t);
                Bench.progress("relay-load: " + target.name() + ", " + rate + " msgs/s over " + rooms + " rooms");
                RelayRun.Result result = RelayRun.run(rate + " msgs/s " + target.name(), settings.at(rate, rooms), affinity, target,
                        target, target.pid());
                Deliveries d = result.deliveries();
                Latencies l = d.latencies();
                double percent = 100.0 * d.delivered() / d.total();
                double micros = (double) result.measuredServerCpuNanos() / Math.max(1, d.delivered()) / 1e3;
                boolean checked = rate == 10_000 && target.name().equals(Target.PRODUCT);
                table.add(String.format(Locale.ROOT, "%,d", rate), target.name(), l.millis(50), l.millis(99), l.millis(99.9),
                        l.millis(100), d.total(), percent,
                        checked ? "p99 ≤ 2 ms, 100 %" : "-",
                        checked ? (l.millis(99) <= TARGET_P99_MS && d.lost() == 0 ? "met" : "missed") : "",
                        micros, checked ? "≤ 25" : "-", checked ? (micros <= TARGET_CPU_MICROS ? "met" : "missed") : "",
                        (double) result.measuredServerSwitches() / Math.max(1, d.delivered()), result.lateness().millis(99),
                        result.generatorBusy(), (double) result.generatorCpuNanos() / Math.max(1, d.delivered()) / 1e3, result.load());
                figures[0][t] = micros;
                figures[1][t] = l.millis(99);
                figures[2][t] = l.millis(99.9);
                figures[3][t] = percent;
                generator[t] = result.generatorBusy();
                if (d.lost() > 0 || d.duplicated() > 0 || d.misrouted() > 0) {
                    failures.add(String.format(Locale.ROOT, "relay-load %s %d msgs/s: %d lost, %d duplicated, %d misrouted of %d",
                            target.name(), rate, d.lost(), d.duplicated(), d.misrouted(), d.total()));
                }
                result.problems().stream().limit(10).map(problem -> "relay-load " + target.name() + " " + rate + ": " + problem)
                        .forEach(failures::add);
            }
            String at = String.format(Locale.ROOT, "relay-load %,d msgs/s, ", rate);
            SideBySide.add(at + "server CPU µs/msg", "%.1f", figures[0][0], figures[0][1], figures[0][2], generator);
            SideBySide.add(at + "p99 ms", "%.2f", figures[1][0], figures[1][1], figures[1][2], generator);
            SideBySide.add(at + "p99.9 ms", "%.2f", figures[2][0], figures[2][1], figures[2][2], generator);
            SideBySide.add(at + "% delivered", "%.2f", figures[3][0], figures[3][1], figures[3][2], generator);
        }
        List<String> notes = new ArrayList<>(List.of("Server CPU per message is the server's user + system time (/proc/<pid>/stat,"
                + " every thread) from the first measured signal until the last arrived, divided by the measured signals; at a fixed"
                + " load it includes what the server spends while waiting for work (heartbeats, timers, the JIT). Context switches"
                + " are the server threads' voluntary and involuntary ones (/proc/<pid>/task/*/status) over the same window:"
                + " each is a thread going to sleep for want of work and being woken for the next. Generator cores busy is this"
                + " JVM's own CPU over the same window."));
        notes.addAll(Targets.warmups(settings, affinity));
        String title = String.format(Locale.ROOT,
                "Relay latency at fixed offered loads, one server on one core: %d two-member rooms (PeerJS: pairs of peers),"
                        + " %d s warm-up, %d s measured; latency from when each signal was due; %s",
                rooms, settings.warmup().toSeconds(), settings.measure().toSeconds(), affinity);
        return new Report(title, table, notes, failures);
    }
}
