package dev.rendezvous.bench;

import dev.rendezvous.it.MicroProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The built WAR on Payara Micro processes the benchmark starts (and always stops, also when the JVM
 * is interrupted): one node without a data grid, or two nodes forming one by TCP/IP discovery on
 * 127.0.0.1. Listens on ports of its own, apart from the tests'.
 */
final class Servers implements AutoCloseable {

    static final int SINGLE_HTTP = 18321;
    static final List<Integer> NODE_HTTP = List.of(18322, 18323);
    static final List<Integer> NODE_GRID = List.of(16321, 16322);
    static final String CLUSTER_NAME = "rdv-bench";
    private static final Duration FORMATION = Duration.ofSeconds(240);

    private final List<MicroProcess> processes;
    private final Thread stopOnExit;
    private Duration formedIn = Duration.ZERO;

    private Servers(List<MicroProcess> processes) {
        this.processes = processes;
        this.stopOnExit = new Thread(this::stop, "bench-servers-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** One node, the data grid off. */
    static Servers single(Settings settings, Affinity affinity) {
        affinity.release();
        try {
            MicroProcess micro = MicroProcess.start(SINGLE_HTTP, settings.serverEnvironment());
            Servers servers = new Servers(List.of(micro));
            affinity.server(micro.pid());
            return servers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Two nodes booted side by side; returns once a member that joins on the second sees one that joined on the first. */
    static Servers cluster(Settings settings, Affinity affinity) {
        affinity.release();
        List<CompletableFuture<MicroProcess>> booting = new ArrayList<>();
        for (int i = 0; i < NODE_HTTP.size(); i++) {
            int node = i;
            booting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return MicroProcess.startNode(NODE_HTTP.get(node), NODE_GRID.get(node), NODE_GRID, CLUSTER_NAME,
                            settings.serverEnvironment());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }, runnable -> new Thread(runnable, "bench-boot-" + node).start()));
        }
        List<MicroProcess> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<MicroProcess> boot : booting) {
            try {
                started.add(boot.join());
            } catch (CompletionException e) {
                failure = failure == null ? new IllegalStateException("a cluster node did not start", e.getCause()) : failure;
            }
        }
        Servers servers = new Servers(started);
        if (failure != null) {
            servers.close();
            throw failure;
        }
        started.forEach(micro -> affinity.server(micro.pid()));
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
                + "; their logs are in target/micro-" + NODE_HTTP.get(0) + "-* and target/micro-" + NODE_HTTP.get(1) + "-*");
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
        for (MicroProcess micro : processes) {
            try {
                micro.stop(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                micro.close();
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
