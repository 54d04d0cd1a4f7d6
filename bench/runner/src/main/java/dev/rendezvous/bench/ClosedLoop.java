package dev.rendezvous.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop of {@code offer}s in two-member rooms: {@link #IN_FLIGHT} signals in flight per
 * room, each arrival answered at once by a signal back, so the server relays as fast as it can.
 * Counts what was sent, delivered and misrouted, and the problems the members saw.
 */
final class ClosedLoop implements AutoCloseable {

    static final int IN_FLIGHT = 8;
    private static final Duration DRAIN = Duration.ofSeconds(15);

    private final URI node;
    private final int rooms;
    private final String padding;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong misrouted = new AtomicLong();
    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final List<BenchSocket> members = new ArrayList<>();
    private volatile boolean running = true;

    ClosedLoop(URI node, int rooms, int bytes) {
        this.node = node;
        this.rooms = rooms;
        // {"type":"offer","to":"<22-character id>","sdp":"<padding>"} is 52 bytes besides the padding.
        this.padding = "x".repeat(bytes - 52);
    }

    void start(Affinity affinity) {
        HttpClient first = HttpClient.newHttpClient();
        HttpClient second = HttpClient.newHttpClient();
        String tag = "throughput-" + Long.toHexString(System.nanoTime());
        List<BenchSocket[]> pairs = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            BenchSocket[] pair = new BenchSocket[2];
            String[] ids = new String[2];
            for (int side = 0; side < 2; side++) {
                int me = side;
                pair[side] = BenchSocket.join(side == 0 ? first : second, node, tag + "-" + r, "m" + side,
                        (from, sdp, arrivedAt) -> {
                            if (ids[1 - me] == null || !from.equals(ids[1 - me])) {
                                misrouted.incrementAndGet();
                                return;
                            }
                            delivered.incrementAndGet();
                            if (running) {
                                send(pair[me], ids[1 - me]);
                            }
                        }, problems::add);
                members.add(pair[side]);
            }
            ids[0] = pair[0].peer();
            ids[1] = pair[1].peer();
            pairs.add(pair);
        }
        affinity.generator();
        for (BenchSocket[] pair : pairs) {
            String to = pair[1].peer();
            for (int i = 0; i < IN_FLIGHT; i++) {
                send(pair[0], to);
            }
        }
    }

    private void send(BenchSocket member, String to) {
        sent.incrementAndGet();
        member.send("{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"" + padding + "\"}");
    }

    /** Stops answering and waits until everything sent has arrived (or {@link #DRAIN} has passed). */
    void stop() {
        running = false;
        long until = System.nanoTime() + DRAIN.toNanos();
        while (delivered.get() < sent.get() && System.nanoTime() < until) {
            Servers.pause(Duration.ofMillis(20));
        }
    }

    @Override
    public void close() {
        running = false;
        members.forEach(BenchSocket::leave);
    }
}
