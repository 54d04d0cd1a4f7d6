package dev.rendezvous.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the shared node spends its CPU while relaying: a JFR recording of a closed 250 B loop, then
 * of a 3 KB one, and the most sampled methods of each; then of members joining the product and the
 * floor, with what the server allocated per member. The last scenario, as a recording slows the server several times while
 * it runs and leaves it slower for a while after it stops: nothing is measured after it.
 */
final class ServerHotMethods implements Scenario {

    private static final int ROOMS = 200;
    private static final Duration BEFORE = Duration.ofSeconds(5);
    private static final Duration RECORDED = Duration.ofSeconds(10);
    private static final int TOP = 12;
    private static final int[] ENVELOPES = {250, 3072};
    /** Members joined (two to a room, 500 at a time) while the joins are recorded. */
    private static final int JOINS = 4_000;

    @Override
    public String name() {
        return "hot-methods";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        Table table = new Table("envelope", "share of samples", "method");
        List<String> notes = new ArrayList<>();
        if (!settings.profile()) {
            notes.add("Not recorded: bench.profile is false (as in a smoke run).");
            return new Report("Server hot methods", table, notes, List.of());
        }
        Servers server = Servers.sharedWarm(settings, affinity);
        String samples = "";
        for (int envelope : ENVELOPES) {
            Bench.progress("hot-methods: recording the server with JFR, " + envelope + " B");
            Path recording = Path.of(System.getProperty("it.war")).resolveSibling("bench-hot-methods-" + envelope + ".jfr");
            try (ClosedLoop loop = new ClosedLoop(Target.product(server.node(0), server.pid(0)), ROOMS, envelope)) {
                loop.start(affinity);
                Servers.pause(BEFORE);
                ServerProfile.start(server.pid(0), recording);
                Servers.pause(RECORDED);
                ServerProfile.stop(server.pid(0));
                loop.stop();
            }
            samples += tabulate(table, envelope + " B", recording);
        }
        // The product's joins, then the floor's on the same node: what the product's join costs beyond a bare endpoint's.
        double[] allocatedPerJoin = new double[2];
        for (Target joining : List.of(Target.product(server.node(0), server.pid(0)),
                new Target(Target.FLOOR, server.floor(0), RendezvousDialect.INSTANCE, server.pid(0)))) {
            String label = joining.name().equals(Target.FLOOR) ? "joins, floor" : "joins";
            Bench.progress("hot-methods: recording the server with JFR while members join the " + joining.name());
            Path joinsRecording = Path.of(System.getProperty("it.war")).resolveSibling("bench-hot-methods-"
                    + label.replace(", ", "-") + ".jfr");
            // A batch first, unrecorded and let go, so that both meet the container's pools (request
            // objects, buffers) filled by closed connections, as in a join storm.
            IdleHold before = new IdleHold(joining);
            before.join(JOINS);
            before.hold(Duration.ZERO, () -> true, Duration.ofSeconds(1));
            IdleHold joins = new IdleHold(joining);
            ServerProfile.start(server.pid(0), joinsRecording);
            joins.join(JOINS);
            ServerProfile.stop(server.pid(0));
            joins.hold(Duration.ZERO, () -> true, Duration.ofSeconds(1));
            samples += tabulate(table, label, joinsRecording);
            allocatedPerJoin[joining.name().equals(Target.FLOOR) ? 1 : 0] = ServerProfile.allocatedBytes(joinsRecording) / 1024.0
                    / Math.max(1, joins.joined.size());
        }
        notes.add(String.format(Locale.ROOT, "Allocated by the server while members joined, every thread (jdk.ThreadAllocationStatistics):"
                + " the product %.1f KiB per member, the floor %.1f (%.2fx).", allocatedPerJoin[0], allocatedPerJoin[1],
                allocatedPerJoin[0] / allocatedPerJoin[1]));
        SideBySide.add("hot-methods, KiB the server allocated per member joined", "%.1f", Double.NaN, allocatedPerJoin[0],
                allocatedPerJoin[1], new double[] {Double.NaN, Double.NaN, Double.NaN});
        notes.add(samples + "JFR jdk.ExecutionSample, top frames only. JFR samples the server's worker"
                + " threads sparsely here; on Linux, perf with -XX:+PreserveFramePointer and jcmd Compiler.perfmap sees more.");
        return new Report(String.format(Locale.ROOT, "Server hot methods: %d s of a closed loop in %d rooms at 250 B, then at 3 KB, each recorded"
                + " %d s after it started, then %,d members joining the product and %,d the floor; %s", RECORDED.toSeconds(), ROOMS,
                BEFORE.toSeconds(), JOINS, JOINS, affinity), table, notes, List.of());
    }

    /** Adds the recording's most sampled methods to {@code table} under {@code label}; returns its sample count, for the notes. */
    private static String tabulate(Table table, String label, Path recording) {
        String samples = "";
        for (String line : ServerProfile.topFrames(recording, TOP)) {
            String trimmed = line.trim();
            int gap = trimmed.indexOf("  ");
            if (gap < 0) {
                samples += label + ": " + trimmed + " in all, recording " + recording + "; ";
            } else {
                table.add(label, trimmed.substring(0, gap), trimmed.substring(gap).trim());
            }
        }
        return samples;
    }
}
