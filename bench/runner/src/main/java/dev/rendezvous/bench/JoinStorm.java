package dev.rendezvous.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many clients joining at once, as after a deploy or a network blip: every connect is started
 * without waiting for any other, two clients to a room. Measures joins a second (all of them, first
 * connect to last welcome) and each client's time from connect to its {@code welcome}.
 */
final class JoinStorm implements Scenario {

    @Override
    public String name() {
        return "join-storm";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        Servers server = Servers.sharedWarm(settings, affinity);
        int clients = settings.smoke() ? 100 : 2_000;
        Bench.progress("join-storm: " + clients + " clients into " + clients / 2 + " rooms");
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<HttpClient> http = List.of(HttpClient.newHttpClient(), HttpClient.newHttpClient());
        Latencies toWelcome = new Latencies();
        AtomicLong lastWelcome = new AtomicLong();
        String tag = "storm-" + Long.toHexString(System.nanoTime());
        List<CompletableFuture<BenchSocket>> joins = new ArrayList<>();
        affinity.generator();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            long connectAt = System.nanoTime();
            joins.add(BenchSocket.joining(http.get(i % 2), server.node(0), tag + "-" + i / 2, "c" + i % 2,
                    (from, sdp, at) -> problems.add("a joining client was sent " + sdp), problems::add)
                    .whenComplete((member, failure) -> {
                        if (failure == null) {
                            long now = System.nanoTime();
                            toWelcome.record(now - connectAt);
                            lastWelcome.accumulateAndGet(now, Math::max);
                        }
                    }));
        }
        List<BenchSocket> joined = new ArrayList<>();
        int failed = 0;
        for (CompletableFuture<BenchSocket> join : joins) {
            try {
                joined.add(join.join());
            } catch (CompletionException e) {
                failed++;
                if (failed <= 10) {
                    problems.add("a join failed: " + e.getCause());
                }
            }
        }
        double seconds = (lastWelcome.get() - start) / 1e9;
        joined.forEach(BenchSocket::leave);
        Table table = new Table("clients", "rooms", "welcomed", "failed", "joins/s", "p50 ms", "p99 ms", "max ms", "load avg");
        table.add(clients, clients / 2, joined.size(), failed, joined.isEmpty() ? Double.NaN : joined.size() / seconds,
                toWelcome.millis(50), toWelcome.millis(99), toWelcome.millis(100), Load.now());
        List<String> failures = new ArrayList<>();
        problems.stream().limit(10).map(problem -> "join-storm: " + problem).forEach(failures::add);
        String title = String.format(Locale.ROOT,
                "Join storm: %,d clients started at once into %,d rooms, one node; time from starting the connect to the"
                        + " welcome; %s", clients, clients / 2, affinity);
        return new Report(title, table, List.of(), failures);
    }
}
