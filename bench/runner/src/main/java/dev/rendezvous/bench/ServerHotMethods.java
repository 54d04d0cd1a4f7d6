package dev.rendezvous.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the shared node spends its CPU while relaying: a JFR recording of a closed 250 B loop and
 * its most sampled methods. The last scenario, as a recording slows the server several times while
 * it runs and leaves it slower for a while after it stops: nothing is measured after it.
 */
final class ServerHotMethods implements Scenario {

    private static final int ROOMS = 200;
    private static final Duration BEFORE = Duration.ofSeconds(5);
    private static final Duration RECORDED = Duration.ofSeconds(10);
    private static final int TOP = 12;

    @Override
    public String name() {
        return "hot-methods";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        Table table = new Table("share of samples", "method");
        List<String> notes = new ArrayList<>();
        if (!settings.profile()) {
            notes.add("Not recorded: bench.profile is false (as in a smoke run).");
            return new Report("Server hot methods", table, notes, List.of());
        }
        Servers server = Servers.sharedWarm(settings, affinity);
        Bench.progress("hot-methods: recording the server with JFR, 250 B");
        Path recording = Path.of(System.getProperty("it.war")).resolveSibling("bench-hot-methods.jfr");
        try (ClosedLoop loop = new ClosedLoop(Target.product(server.node(0), server.pid(0)), ROOMS, 250)) {
            loop.start(affinity);
            Servers.pause(BEFORE);
            ServerProfile.start(server.pid(0), recording);
            Servers.pause(RECORDED);
            ServerProfile.stop(server.pid(0));
            loop.stop();
        }
        String samples = "";
        for (String line : ServerProfile.topFrames(recording, TOP)) {
            String trimmed = line.trim();
            int gap = trimmed.indexOf("  ");
            if (gap < 0) {
                samples = trimmed + " in all; ";
            } else {
                table.add(trimmed.substring(0, gap), trimmed.substring(gap).trim());
            }
        }
        notes.add(samples + "JFR jdk.ExecutionSample, top frames only, recording " + recording + ". JFR samples the server's worker"
                + " threads sparsely here; on Linux, perf with -XX:+PreserveFramePointer and jcmd Compiler.perfmap sees more.");
        return new Report(String.format(Locale.ROOT, "Server hot methods: %d s of a closed 250 B loop in %d rooms, recorded"
                + " %d s after it started; %s", RECORDED.toSeconds(), ROOMS, BEFORE.toSeconds(), affinity), table, notes, List.of());
    }
}
