package dev.rendezvous.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many joined members that say nothing, as a signaling server mostly holds: what each costs the
 * server in resident memory ({@code VmRSS} before and after), and whether all are still held after
 * more than one heartbeat interval with no error and no close.
 */
final class IdleConnections implements Scenario {

    private static final double TARGET_KIB = 10;
    private static final int BATCH = 500;
    /** Of one core, while holding them with heartbeats on. */
    private static final double IDLE_CPU_TARGET = 0.03;
    private static final Duration SETTLE = Duration.ofSeconds(45);
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(180);
    private static final Duration MEASURED = Duration.ofSeconds(30);
    /**
     * The JIT compiler counts as quiet once it uses at most this share of a core over {@link #QUIET_WINDOW},
     * a window longer than the heartbeat interval: each round of pings can set it compiling again.
     */
    private static final double QUIET_COMPILER = 0.005;
    private static final Duration QUIET_WINDOW = Duration.ofSeconds(20);

    @Override
    public String name() {
        return "idle-connections";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        Servers server = Servers.shared(settings, affinity);
        int target = settings.smoke() ? 200 : 10_000;
        // CPU is measured once the JIT compiler has finished with what the joins and the first heartbeats
        // set it compiling, as on a server that has been up a while: after at least SETTLE, then until
        // the compiler is quiet (at most SETTLE_AT_MOST more).
        Duration settle = settings.smoke() ? Duration.ofSeconds(1) : SETTLE;
        Duration measured = settings.smoke() ? Duration.ofSeconds(1) : MEASURED;
        long pid = server.pid(0);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<HttpClient> http = List.of(HttpClient.newHttpClient(), HttpClient.newHttpClient());
        String tag = "idle-" + Long.toHexString(System.nanoTime());
        List<BenchSocket> joined = new ArrayList<>();
        int failed = 0;
        affinity.generator();
        ServerProfile.collect(pid);
        Map<String, long[]> classesBefore = ServerProfile.classHistogram(pid);
        long heapBefore = ServerProfile.heapUsedKiB(pid);
        long rssBefore = ProcFs.rssKiB(pid);
        Bench.progress("idle-connections: joining " + target + " members, " + BATCH + " at a time");
        for (int first = 0; first < target; first += BATCH) {
            List<CompletableFuture<BenchSocket>> batch = new ArrayList<>();
            for (int i = first; i < Math.min(target, first + BATCH); i++) {
                batch.add(BenchSocket.joining(http.get(i % 2), server.node(0), tag + "-" + i / 2, "m" + i % 2,
                        (from, sdp, at) -> problems.add("an idle member was sent " + sdp), problems::add));
            }
            for (CompletableFuture<BenchSocket> join : batch) {
                try {
                    joined.add(join.join());
                } catch (CompletionException e) {
                    failed++;
                    if (failed <= 10) {
                        problems.add("a join failed: " + e.getCause());
                    }
                }
            }
        }
        long rssJoined = ProcFs.rssKiB(pid);
        Map<String, long[]> classesJoined = ServerProfile.classHistogram(pid);
        long heapJoined = ServerProfile.heapUsedKiB(pid);
        Bench.progress("idle-connections: " + joined.size() + " joined; holding them until the JIT compiler is quiet, then "
                + measured.toSeconds() + " s more");
        long holdStart = System.nanoTime();
        Servers.pause(settle);
        boolean quiet = settings.smoke() || Warmup.untilCompilerQuiet(pid, QUIET_COMPILER, QUIET_WINDOW, SETTLE_AT_MOST);
        long settled = System.nanoTime() - holdStart;
        long cpuBefore = ProcFs.cpuNanos(pid);
        Map<String, long[]> threadsBefore = ProcFs.cpuByThreadGroup(pid);
        long measureStart = System.nanoTime();
        Servers.pause(measured);
        long window = System.nanoTime() - measureStart;
        Duration hold = Duration.ofNanos(System.nanoTime() - holdStart);
        double idleCore = (double) (ProcFs.cpuNanos(pid) - cpuBefore) / window;
        String busiest = ProcFs.busiestThreads(threadsBefore, ProcFs.cpuByThreadGroup(pid), window / 100.0);
        long rssHeld = ProcFs.rssKiB(pid);
        int troubles = problems.size();
        joined.forEach(BenchSocket::leave);
        double perConnection = (double) (rssJoined - rssBefore) / Math.max(1, joined.size());
        double heapPerConnection = (double) (heapJoined - heapBefore) / Math.max(1, joined.size());
        Table table = new Table("members", "joined", "failed", "problems while held", "server RSS before MiB",
                "joined MiB", "after hold MiB", "RSS KiB per connection", "target", "", "live heap KiB per connection",
                "held, no errors", "server CPU while held", "target", "", "load avg");
        table.add(target, joined.size(), failed, troubles, rssBefore / 1024.0, rssJoined / 1024.0, rssHeld / 1024.0,
                perConnection, "≤ 10", perConnection <= TARGET_KIB ? "met" : "missed", heapPerConnection,
                target + " target: " + (failed == 0 && troubles == 0 && joined.size() == target ? "met" : "missed"),
                String.format(Locale.ROOT, "%.2f %% of a core", 100 * idleCore), "≤ 3 %",
                idleCore <= IDLE_CPU_TARGET ? "met" : "missed", Load.now());
        List<String> failures = new ArrayList<>();
        problems.stream().limit(10).map(problem -> "idle-connections: " + problem).forEach(failures::add);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT,
                "RSS KiB per connection is the server's VmRSS growth from just before the first join (after a full GC) to"
                        + " just after the last, over the members joined: it counts heap the JVM committed for garbage too, and"
                        + " nothing when the heap had room already. Live heap per connection is the heap used after a full GC"
                        + " (jcmd GC.run, GC.heap_info), after minus before. The generator's file descriptor limit is %s.",
                fileLimit()));
        notes.add("What the live heap grew by, per joined member (jcmd GC.class_histogram after a full GC, joined minus before):");
        ServerProfile.grownClasses(classesBefore, classesJoined, Math.max(1, joined.size()), 15).forEach(line -> notes.add("  " + line));
        notes.add("  by owner: " + ServerProfile.grownByOwner(classesBefore, classesJoined, Math.max(1, joined.size())));
        notes.add(String.format(Locale.ROOT, "Server CPU while held is the server process's user + system time over the last %d s"
                + " of the hold, per second of wall clock, %s %d s after the last join; by thread (name, %% of a core, user + system): %s",
                measured.toSeconds(), quiet ? "from when the JIT compiler had gone quiet (at most " + QUIET_COMPILER * 100 + " % of a core over "
                        + QUIET_WINDOW.toSeconds() + " s),"
                        : "with the JIT compiler still busy (not quiet within " + settle.plus(SETTLE_AT_MOST).toSeconds() + " s), from",
                Duration.ofNanos(settled).toSeconds(), busiest));
        String title = String.format(Locale.ROOT,
                "Idle joined connections: %,d members in %,d rooms on one node, held %d s (heartbeat every 15 s); %s",
                target, target / 2, hold.toSeconds(), affinity);
        return new Report(title, table, notes, failures);
    }

    private static String fileLimit() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return line.replaceAll("\\s+", " ").replace("Max open files ", "").replace(" files", "").trim()
                            .replace(" ", " soft / ") + " hard";
                }
            }
        } catch (java.io.IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
