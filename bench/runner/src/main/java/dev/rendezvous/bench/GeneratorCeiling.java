package dev.rendezvous.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much the generator drives on its one core: the relay-throughput loop against {@link BareRelay}
 * (Netty, one thread, nothing but the relay) on the servers' core, with the same rooms and signals in
 * flight, then with four times as many in flight. Each row gives the generator's and the relay's
 * CPU, and the rate as a multiple of the fastest server's in this run's relay-throughput.
 */
final class GeneratorCeiling implements Scenario {

    @Override
    public String name() {
        return "generator-ceiling";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        int rooms = settings.smoke() ? 20 : 200;
        Duration warmup = settings.smoke() ? Duration.ofSeconds(1) : Duration.ofSeconds(20);
        Duration measure = settings.smoke() ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
        int port = settings.port() + 5;
        Bench.progress("generator-ceiling: starting the bare relay on port " + port);
        Table table = new Table("envelope", "in flight per room", "delivered msgs/s", "generator cores busy", "relay cores busy",
                "× fastest server (relay-throughput)", "sent", "lost", "load avg");
        List<String> failures = new ArrayList<>();
        try (Servers relay = Servers.one(affinity, () -> BareRelayNode.start(port))) {
            Target target = new Target("bare relay", URI.create("ws://127.0.0.1:" + port + "/bare/"), RendezvousDialect.INSTANCE,
                    relay.pid(0));
            int[][] cases = {{250, ClosedLoop.IN_FLIGHT}, {3072, ClosedLoop.IN_FLIGHT}, {250, 4 * ClosedLoop.IN_FLIGHT}};
            // A smoke run keeps to the first case: the others take the same path.
            for (int[] c : settings.smoke() ? new int[][] {cases[0]} : cases) {
                Bench.progress("generator-ceiling: " + c[0] + " B, " + c[1] + " in flight per room");
                try (ClosedLoop run = new ClosedLoop(target, rooms, c[0], c[1])) {
                    run.start(affinity);
                    Servers.pause(warmup);
                    long delivered = run.delivered.get();
                    long relayCpu = ProcFs.cpuNanos(relay.pid(0));
                    long generatorCpu = ProcFs.cpuNanos(ProcessHandle.current().pid());
                    long start = System.nanoTime();
                    Servers.pause(measure);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double rate = (run.delivered.get() - delivered) / seconds;
                    double generator = (ProcFs.cpuNanos(ProcessHandle.current().pid()) - generatorCpu) / 1e9 / seconds;
                    double relayBusy = (ProcFs.cpuNanos(relay.pid(0)) - relayCpu) / 1e9 / seconds;
                    run.stop();
                    Double fastest = RelayThroughput.FASTEST.get(c[0]);
                    table.add(c[0] + " B", c[1], (long) rate, generator, relayBusy,
                            fastest == null || fastest == 0 ? "-" : String.format(Locale.ROOT, "%.2f×", rate / fastest),
                            run.sent.get(), run.sent.get() - run.delivered.get(), Load.now());
                    if (run.sent.get() != run.delivered.get() || run.misrouted.get() > 0) {
                        failures.add(String.format(Locale.ROOT, "generator-ceiling %d B: %d sent, %d delivered, %d misrouted",
                                c[0], run.sent.get(), run.delivered.get(), run.misrouted.get()));
                    }
                    run.problems.stream().limit(10).map(problem -> "generator-ceiling: " + problem).forEach(failures::add);
                }
            }
        }
        String title = String.format(Locale.ROOT, "Generator ceiling: the relay-throughput loop (%d two-member rooms) against a bare"
                + " Netty relay on the servers' core; %d s warm-up, %d s measured; %s", rooms, warmup.toSeconds(), measure.toSeconds(),
                affinity);
        return new Report(title, table, List.of("Generator and relay cores busy are each process's user + system time over the"
                + " measured window per second of wall clock. Where the relay is busier than the generator, the relay was the"
                + " limit and the generator drives at least this rate; × fastest server divides by the fastest of PeerJS,"
                + " the product and the floor at the same size in this run (run relay-throughput first for it)."), failures);
    }
}
