package dev.rendezvous.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Many joined members that say nothing, as a signaling server mostly holds, on the product and on
 * PeerJS: what each costs the server in resident memory ({@code VmRSS} before and after) and in CPU
 * while held, and whether all are still held after more than one heartbeat interval with no error
 * and no close.
 */
final class IdleConnections implements Scenario {

    private static final double TARGET_KIB = 16;
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
        List<Target> targets = Targets.fresh(settings, affinity);
        int target = settings.smoke() ? 200 : 10_000;
        // CPU is measured once the JIT compiler has finished with what the joins and the first heartbeats
        // set it compiling, as on a server that has been up a while: after at least SETTLE, then until
        // the compiler is quiet (at most SETTLE_AT_MOST more). Node.js has no compiler threads by that name.
        Duration settle = settings.smoke() ? Duration.ofSeconds(1) : SETTLE;
        Duration measured = settings.smoke() ? Duration.ofSeconds(1) : MEASURED;
        affinity.generator();
        // The product first, on its node as booted: its memory is read before anything else has grown the heap.
        Target product = targets.get(1);
        long pid = product.pid();
        ServerProfile.collect(pid);
        Map<String, long[]> classesBefore = ServerProfile.classHistogram(pid);
        IdleHold ours = new IdleHold(product);
        ours.join(target);
        Map<String, long[]> classesJoined = ServerProfile.classHistogram(pid);
        Bench.progress("idle-connections: " + ours.joined.size() + " joined to the product; holding them until the JIT compiler"
                + " is quiet, then " + measured.toSeconds() + " s more");
        boolean[] quiet = {settings.smoke()};
        ours.hold(settle, () -> quiet[0] = quiet[0] || Warmup.untilCompilerQuiet(pid, QUIET_COMPILER, QUIET_WINDOW, SETTLE_AT_MOST),
                measured);
        IdleHold theirs = new IdleHold(targets.get(0));
        theirs.join(target);
        Bench.progress("idle-connections: " + theirs.joined.size() + " joined to PeerJS; holding them");
        theirs.hold(settle, () -> true, measured);
        // The floor on a node of its own booted as the shared one was (the product's WAR beside it,
        // idle): its memory read as the product's was, as booted. Read on the shared node after the
        // product's members, it would find what the container keeps from them (pooled request
        // objects, buffers) and cost less per member than as booted.
        HeapRead bare;
        Bench.progress("idle-connections: booting a node like the shared one for the floor, on port " + (settings.port() + 1));
        try (Servers floorNode = Servers.likeShared(settings, affinity, settings.port() + 1)) {
            affinity.generator();
            bare = HeapRead.of("floor", new Target(Target.FLOOR, floorNode.floor(0), RendezvousDialect.INSTANCE, floorNode.pid(0)),
                    floorNode.pid(0), target);
        }
        double heapPerConnection = ServerProfile.liveKiB(classesBefore, classesJoined) / Math.max(1, ours.joined.size());
        Table table = new Table("server", "members", "joined", "failed", "problems while held", "server RSS before MiB",
                "joined MiB", "after hold MiB", "RSS KiB per connection", "target", "", "live heap KiB per connection",
                "held, no errors", "server CPU while held", "target", "", "generator cores busy", "load avg");
        List<String> failures = new ArrayList<>();
        for (IdleHold hold : List.of(theirs, ours)) {
            boolean checked = hold == ours;
            table.add(hold.target.name(), target, hold.joined.size(), hold.failed, hold.problemsWhileHeld, hold.rssBefore / 1024.0,
                    hold.rssJoined / 1024.0, hold.rssHeld / 1024.0, hold.rssPerConnection(), checked ? "≤ 16" : "-",
                    checked ? (hold.rssPerConnection() <= TARGET_KIB ? "met" : "missed") : "", checked ? heapPerConnection : Double.NaN,
                    target + (hold.failed == 0 && hold.problemsWhileHeld == 0 && hold.joined.size() == target ? ": yes" : ": no"),
                    String.format(Locale.ROOT, "%.2f %% of a core", 100 * hold.serverBusy), checked ? "≤ 3 %" : "-",
                    checked ? (hold.serverBusy <= IDLE_CPU_TARGET ? "met" : "missed") : "", hold.generatorBusy, Load.now());
            hold.problems.stream().limit(10).map(problem -> "idle-connections " + hold.target.name() + ": " + problem).forEach(failures::add);
        }
        table.add(bare.name, target, bare.hold.joined.size(), bare.hold.failed, "-", bare.hold.rssBefore / 1024.0,
                bare.hold.rssJoined / 1024.0, "-", bare.hold.rssPerConnection(), "-", "",
                bare.perMember, "-", "-", "-", "", bare.hold.generatorBusy, Load.now());
        bare.hold.problems.stream().limit(10).map(problem -> "idle-connections " + bare.name + ": " + problem).forEach(failures::add);
        double[] generator = {theirs.generatorBusy, ours.generatorBusy, Double.NaN};
        SideBySide.add("idle-connections, live heap KiB per connection", "%.1f", Double.NaN, heapPerConnection,
                bare.perMember, new double[] {Double.NaN, ours.generatorBusy, bare.hold.generatorBusy});
        SideBySide.add("idle-connections, RSS KiB per connection", "%.1f", theirs.rssPerConnection(), ours.rssPerConnection(),
                bare.hold.rssPerConnection(), new double[] {theirs.generatorBusy, ours.generatorBusy, bare.hold.generatorBusy});
        SideBySide.add("idle-connections, server CPU % of a core", "%.2f", 100 * theirs.serverBusy, 100 * ours.serverBusy, Double.NaN,
                generator);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT,
                "RSS KiB per connection is the server's VmRSS growth from just before the first join (on the product after a full"
                        + " GC) to just after the last, over the members joined: it counts heap committed for garbage too, and"
                        + " nothing when the heap had room already. Live heap per connection is what the class histogram"
                        + " counts after a full GC (jcmd GC.class_histogram), after minus before; not the heap in use (GC.heap_info),"
                        + " which also counts what the server allocated between the collection and the read. Both are read on a node as"
                        + " booted: the product's on the shared node before anything else, the floor's on a second node booted"
                        + " the same way (the product's WAR beside it, idle) once the product and PeerJS are done. A second read"
                        + " on the shared node is not comparable: it finds what the container kept from the members before (pooled"
                        + " request objects and buffers) and reads 16-32 %% less per member. The floor's members are read, not held:"
                        + " its row has no CPU. The generator's file descriptor limit is %s.", fileLimit()));
        notes.add("What the product's live heap grew by, per joined member (jcmd GC.class_histogram after a full GC, joined minus before):");
        ServerProfile.grownClasses(classesBefore, classesJoined, Math.max(1, ours.joined.size()), 15).forEach(line -> notes.add("  " + line));
        notes.add("  by owner: " + ServerProfile.grownByOwner(classesBefore, classesJoined, Math.max(1, ours.joined.size())));
        notes.add("What the floor's live heap grew by, per joined member:");
        ServerProfile.grownClasses(bare.before, bare.after, bare.units(), 15).forEach(line -> notes.add("  " + line));
        notes.add("  by owner: " + ServerProfile.grownByOwner(bare.before, bare.after, bare.units()));
        notes.add("What the product keeps per member beyond what the floor keeps, by class (product's growth minus the floor's):");
        ServerProfile.grownBeyond(classesBefore, classesJoined, Math.max(1, ours.joined.size()), bare.before, bare.after, bare.units(), 15).forEach(line -> notes.add("  " + line));
        notes.add(String.format(Locale.ROOT, "Server CPU while held is the server process's user + system time over the last %d s"
                + " of the hold, per second of wall clock: the product's %s %d s after the last join (by thread, %% of a core,"
                + " user + system: %s); PeerJS's %d s after its last join, its members each sending a HEARTBEAT every 5 s as the"
                + " PeerJS client does (by thread: %s). Generator cores busy is this JVM's own CPU over the same window.",
                measured.toSeconds(), quiet[0] ? "from when the JIT compiler had gone quiet (at most " + QUIET_COMPILER * 100
                        + " % of a core over " + QUIET_WINDOW.toSeconds() + " s),"
                        : "with the JIT compiler still busy (not quiet within " + settle.plus(SETTLE_AT_MOST).toSeconds() + " s), from",
                ours.settled.toSeconds(), ours.busiest, theirs.settled.toSeconds(), theirs.busiest));
        String title = String.format(Locale.ROOT,
                "Idle joined connections: %,d members in %,d rooms (PeerJS: pairs of peers), one server on one core, held %d s"
                        + " (the product's heartbeat every 15 s; PeerJS clients' every 5 s); %s",
                target, target / 2, ours.held.toSeconds(), affinity);
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

    /** One batch of members joined, read (live heap and classes after a full GC, before and after) and let go. */
    private record HeapRead(String name, IdleHold hold, Map<String, long[]> before, Map<String, long[]> after, double perMember) {

        static HeapRead of(String name, Target server, long pid, int count) {
            IdleHold hold = new IdleHold(server);
            Map<String, long[]> before = ServerProfile.classHistogram(pid);
            hold.join(count);
            Map<String, long[]> after = ServerProfile.classHistogram(pid);
            Bench.progress("idle-connections: " + hold.joined.size() + " joined to the " + name + "; its heap read");
            hold.hold(Duration.ZERO, () -> true, Duration.ofSeconds(1));
            return new HeapRead(name, hold, before, after, ServerProfile.liveKiB(before, after) / Math.max(1, hold.joined.size()));
        }

        int units() {
            return Math.max(1, hold.joined.size());
        }
    }
}
