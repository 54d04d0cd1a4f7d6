package dev.rendezvous.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Brings a freshly booted node to the state a server that has been up for a while is in: a closed
 * 250 B loop runs until the JIT compiler has gone quiet and the relay rate has stopped climbing.
 * With the server held to one core, the compiler threads share it with the workers, and a node
 * relays at a quarter to a half of its settled rate at first and takes one to two minutes of full
 * load to settle; measuring before would measure the compiler, not the relay.
 */
final class Warmup {

    private static final int ROOMS = 200;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Duration AT_LEAST = Duration.ofSeconds(30);
    private static final Duration AT_MOST = Duration.ofSeconds(240);
    /** Quiet: the compiler threads used at most this share of a core in each of the last two windows. */
    private static final double QUIET_COMPILER = 0.015;
    /** Settled: the mean rate of the last three windows is within this fraction of the three before. */
    private static final double STEADY = 0.05;

    private Warmup() {
    }

    /**
     * Runs the loop against {@code target} until warm, or {@link #AT_MOST}; in a smoke run, one
     * short window. Returns what happened, one line. A process with no JIT compiler threads by that
     * name (Node.js: V8 compiles on threads of its own) counts as quiet, and is warm once its rate is steady.
     */
    static String run(Target target, Affinity affinity, boolean smoke) {
        long pid = target.pid();
        String what = target.name();
        Bench.progress("warming " + what + " up");
        Duration window = smoke ? Duration.ofSeconds(1) : WINDOW;
        long start = System.nanoTime();
        List<Double> rates = new ArrayList<>();
        List<Double> compiler = new ArrayList<>();
        boolean warm = false;
        try (ClosedLoop loop = new ClosedLoop(target, smoke ? 20 : ROOMS, 250)) {
            loop.start(affinity);
            while (!warm && System.nanoTime() - start < AT_MOST.toNanos()) {
                long delivered = loop.delivered.get();
                long compiling = compilerNanos(pid);
                long windowStart = System.nanoTime();
                Servers.pause(window);
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                rates.add((loop.delivered.get() - delivered) / seconds);
                // A compiler thread that ended takes its time with it: a negative difference counts as quiet.
                compiler.add(Math.max(0, compilerNanos(pid) - compiling) / 1e9 / seconds);
                warm = smoke || System.nanoTime() - start >= AT_LEAST.toNanos() && settled(rates, compiler);
            }
            loop.stop();
        }
        String done = String.format(Locale.ROOT, "%s: a closed 250 B loop in %d rooms for %d s, %s; %,.0f msgs/s in the first %d s,"
                        + " %,.0f in the last, the JIT compiler then at %.1f %% of a core", what, smoke ? 20 : ROOMS,
                Duration.ofNanos(System.nanoTime() - start).toSeconds(),
                smoke ? "one window (smoke run)" : warm ? "until warm" : "and still not warm (the compiler busy or the rate climbing)", rates.get(0), window.toSeconds(),
                rates.get(rates.size() - 1), compiler.get(compiler.size() - 1) * 100);
        Bench.progress(done);
        return done;
    }

    /** Whether the compiler was quiet in the last two windows and the rate of the last three was that of the three before. */
    private static boolean settled(List<Double> rates, List<Double> compiler) {
        int n = rates.size();
        if (n < 6 || compiler.get(n - 1) > QUIET_COMPILER || compiler.get(n - 2) > QUIET_COMPILER) {
            return false;
        }
        double last = (rates.get(n - 1) + rates.get(n - 2) + rates.get(n - 3)) / 3;
        double before = (rates.get(n - 4) + rates.get(n - 5) + rates.get(n - 6)) / 3;
        return Math.abs(last - before) <= STEADY * before;
    }

    /**
     * Waits, in windows of {@code window}, until the JIT compiler threads of process {@code pid}
     * used at most {@code share} of a core over one, or {@code atMost} has passed; true if they did.
     */
    static boolean untilCompilerQuiet(long pid, double share, Duration window, Duration atMost) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < atMost.toNanos()) {
            long compiling = compilerNanos(pid);
            long windowStart = System.nanoTime();
            Servers.pause(window);
            if (Math.max(0, compilerNanos(pid) - compiling) <= share * (System.nanoTime() - windowStart)) {
                return true;
            }
        }
        return false;
    }

    /** CPU time of the JIT compiler threads of process {@code pid}, in nanoseconds. */
    static long compilerNanos(long pid) {
        long sum = 0;
        for (Map.Entry<String, long[]> group : ProcFs.cpuByThreadGroup(pid).entrySet()) {
            if (group.getKey().contains("CompilerThre")) {
                sum += group.getValue()[0] + group.getValue()[1];
            }
        }
        return sum;
    }
}
