package dev.rendezvous.bench;

import dev.rendezvous.signaling.InProcessPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The product's own CPU time per relayed signal, without a container or a socket
 * ({@link InProcessPath}), in this JVM on the generator's CPU: set against relay-throughput's
 * figures, it says how much of a message's cost is the server's code and how much is the container's.
 */
final class InProcessRelay implements Scenario {

    private static final int BATCH = 200_000;

    @Override
    public String name() {
        return "in-process";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        affinity.generator();
        int rounds = settings.smoke() ? 2 : 10;
        Table table = new Table("envelope", "signals", "µs per signal (median round)", "best round", "handed to the socket");
        List<String> failures = new ArrayList<>();
        for (int bytes : List.of(250, 3072)) {
            Bench.progress("in-process: " + bytes + " B envelopes");
            InProcessPath path = new InProcessPath(bytes);
            path.relay(settings.smoke() ? BATCH / 10 : BATCH); // warm-up, for the JIT
            double[] micros = new double[rounds];
            long before = path.relay(0);
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                path.relay(BATCH);
                micros[r] = (System.nanoTime() - start) / 1e3 / BATCH;
            }
            long handed = path.relay(0) - before;
            if (handed != (long) rounds * BATCH) {
                failures.add(String.format(Locale.ROOT, "in-process %d B: %d relayed, %d handed to the socket", bytes,
                        (long) rounds * BATCH, handed));
            }
            java.util.Arrays.sort(micros);
            table.add(bytes + " B", (long) rounds * BATCH, micros[rounds / 2], micros[0], handed);
        }
        String title = String.format(Locale.ROOT, "In-process relay path, no container: %d rounds of %,d offers between two"
                + " members, one thread; %s", rounds, BATCH, affinity);
        return new Report(title, table, List.of("Decode, rate check, sender stamp, encode, addressee lookup, resume window and"
                + " socket queue, as the endpoint and relay run them; the stand-in socket completes each send at once."), failures);
    }
}
