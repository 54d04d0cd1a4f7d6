package dev.rendezvous.bench;

import dev.rendezvous.testkit.MicroProcess;
import dev.rendezvous.signaling.TyrusIdleTimers;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The built WAR on server processes the benchmark starts (and always stops, also when the JVM is
 * interrupted): one Payara Micro node without a data grid, two forming one by TCP/IP discovery on
 * 127.0.0.1, or the node the load scenarios share, on Payara Micro or WildFly. Listens on ports of
 * its own, apart from the tests'.
 */
final class Servers implements AutoCloseable {

    static final String CLUSTER_NAME = "rdv-bench";
    private static final Duration FORMATION = Duration.ofSeconds(240);

    /** The node the load scenarios share, booted by the first that asks; see {@link #shared}. */
    private static Servers shared;

    private final List<Node> processes;
    private final Thread stopOnExit;
    private Duration formedIn = Duration.ZERO;
    /** What {@link #sharedWarm} did to warm this node up; null until it has. */
    private String warmup;

    private Servers(List<Node> processes) {
        this.processes = processes;
        this.stopOnExit = new Thread(this::stop, "bench-servers-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** One node, the data grid off, on {@code bench.port}. */
    static Servers single(Settings settings, Affinity affinity) {
        return single(settings.port(), settings.serverEnvironment(), affinity);
    }

    /** One node, the data grid off, on {@code port} with this environment. */
    static Servers single(int port, Map<String, String> environment, Affinity affinity) {
        return single(port, environment, List.of(), affinity);
    }

    private static Servers single(int port, Map<String, String> environment, List<Path> alsoDeployed, Affinity affinity) {
        return one(affinity, () -> Node.of(MicroProcess.start(port, environment, alsoDeployed)));
    }

    /** What boots one node. */
    interface Boot {
        Node start() throws IOException, InterruptedException;
    }

    /** Boots one node from an unpinned generator (the node's JVM sizes itself for the machine), then pins it. */
    static Servers one(Affinity affinity, Boot boot) {
        affinity.release();
        try {
            Node node = boot.start();
            Servers servers = new Servers(List.of(node));
            affinity.server(node.pid());
            return servers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * One node, the data grid off, on {@code bench.port + 3}, shared by the load scenarios so that a
     * run boots it once: every per-socket and per-address limit is raised out of the way (what is
     * measured is the relay, not a limit) and rooms hold 20 members. {@link FloorEndpoint} is deployed
     * beside the product. On Payara Micro, or on WildFly with {@code bench.container=wildfly}.
     * Stopped by {@link #closeShared}.
     */
    static synchronized Servers shared(Settings settings, Affinity affinity) {
        if (shared == null) {
            Bench.progress("booting the node the load scenarios share, on " + settings.containerName());
            shared = likeShared(settings, affinity, settings.port() + 3);
        }
        return shared;
    }

    /**
     * A node booted as {@link #shared} is, on {@code port}, for a scenario that reads something from
     * a node as booted after the shared node has served: the caller closes it.
     */
    static Servers likeShared(Settings settings, Affinity affinity, int port) {
        Map<String, String> environment = Map.of(
                "SIGNALING_RATE_PER_SECOND", "1000000",
                "SIGNALING_RATE_BURST", "1000000",
                "SIGNALING_CONNECTIONS_PER_ADDRESS", "20000",
                "SIGNALING_CONNECTIONS_MAX", "20000",
                "SIGNALING_ROOMS_MAX", "10000",
                "SIGNALING_ROOM_MAX_PEERS", "20");
        return settings.onWildFly()
                ? one(affinity, () -> WildFlyNode.start(port, environment, List.of(floorWar()),
                        settings.dispatchToWorker(), settings.ioThreads()))
                : single(port, environment, List.of(floorWar()), affinity);
    }

    /**
     * {@link #shared}, warmed up the first time a scenario asks ({@link Warmup}): the product's
     * endpoint, then the container floor's. Scenarios that measure the relay's speed ask for this;
     * one that reads memory from a fresh node asks for {@link #shared} before any of them.
     */
    static synchronized Servers sharedWarm(Settings settings, Affinity affinity) {
        Servers server = shared(settings, affinity);
        if (server.warmup == null) {
            server.warmup = "Warm-up of the shared node before it was measured: "
                    + Warmup.run(Target.product(server.node(0), server.pid(0)), affinity, settings.smoke()) + "; then "
                    + Warmup.run(new Target(Target.FLOOR, server.floor(0), RendezvousDialect.INSTANCE, server.pid(0)), affinity,
                    settings.smoke()) + ".";
        }
        return server;
    }

    /** How this node was warmed up, one line; null when it was not. */
    String warmup() {
        return warmup;
    }

    /**
     * A WAR holding only {@link FloorEndpoint} and the product's {@link TyrusIdleTimers} (without
     * which Payara's own idle-timer cost would be the floor), written next to the product's WAR.
     */
    static Path floorWar() {
        Path file = Path.of(System.getProperty("it.war")).resolveSibling("floor.war");
        ShrinkWrap.create(WebArchive.class, "floor.war").addClasses(FloorEndpoint.class, TyrusIdleTimers.class)
                .as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    static synchronized void closeShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** Two nodes booted side by side; returns once a member that joins on the second sees one that joined on the first. */
    static Servers cluster(Settings settings, Affinity affinity) {
        affinity.release();
        List<Integer> nodeHttp = List.of(settings.port() + 1, settings.port() + 2);
        List<Integer> nodeGrid = List.of(settings.gridPort(), settings.gridPort() + 1);
        List<CompletableFuture<MicroProcess>> booting = new ArrayList<>();
        for (int i = 0; i < nodeHttp.size(); i++) {
            int node = i;
            booting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return MicroProcess.startNode(nodeHttp.get(node), nodeGrid.get(node), nodeGrid, CLUSTER_NAME + "-" + settings.gridPort(),
                            settings.serverEnvironment());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }, runnable -> new Thread(runnable, "bench-boot-" + node).start()));
        }
        List<Node> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<MicroProcess> boot : booting) {
            try {
                started.add(Node.of(boot.join()));
            } catch (CompletionException e) {
                failure = failure == null ? new IllegalStateException("a cluster node did not start", e.getCause()) : failure;
            }
        }
        Servers servers = new Servers(started);
        if (failure != null) {
            servers.close();
            throw failure;
        }
        started.forEach(node -> affinity.server(node.pid()));
        try {
            servers.awaitFormation(HttpClient.newHttpClient());
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    /** The {@code ws://…/signal/} base of node {@code index}, in the order started. */
    URI node(int index) {
        return URI.create("ws://127.0.0.1:" + processes.get(index).port() + "/signal/");
    }

    /** The {@code ws://…/floor/} base of {@link FloorEndpoint} on node {@code index}, where it is deployed. */
    URI floor(int index) {
        return URI.create("ws://127.0.0.1:" + processes.get(index).port() + "/floor/");
    }

    /** The operating-system process id of node {@code index}. */
    long pid(int index) {
        return processes.get(index).pid();
    }

    /** How long the data grid took to form after both nodes were deployed; zero for one node. */
    Duration formedIn() {
        return formedIn;
    }

    /**
     * Joins a fresh room on the first node and then on the second until the second's welcome lists
     * the first's member: both nodes then share rosters and reach each other's topics.
     */
    private void awaitFormation(HttpClient http) {
        long start = System.nanoTime();
        long deadline = start + FORMATION.toNanos();
        List<String> ignored = new ArrayList<>();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            String room = "bench-formation-" + attempt + "-" + Long.toHexString(System.nanoTime());
            BenchSocket first = BenchSocket.join(http, node(0), room, "first", (from, sdp, at) -> { }, ignored::add);
            BenchSocket second = BenchSocket.join(http, node(1), room, "second", (from, sdp, at) -> { }, ignored::add);
            boolean formed = second.peers().contains(first.peer());
            first.leave();
            second.leave();
            if (formed) {
                formedIn = Duration.ofNanos(System.nanoTime() - start);
                return;
            }
            pause(Duration.ofSeconds(1));
        }
        throw new IllegalStateException("the two nodes did not form one data grid within " + FORMATION
                + "; their logs are in bench/runner/target/micro-" + processes.get(0).port() + "-* and micro-" + processes.get(1).port() + "-*");
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void stop() {
        for (Node node : processes) {
            try {
                node.stop(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                node.close();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or has run: it stops the same processes
        }
    }
}
