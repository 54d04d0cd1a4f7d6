package dev.rendezvous.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Full rooms where everyone talks to everyone (a mesh call's renegotiation): in each room one member
 * at a time broadcasts, that is sends one signal to each other member, at a fixed offered rate of
 * broadcasts in all. Measures deliveries a second and the latency of each delivery from when its
 * broadcast was due.
 */
final class FanOut implements Scenario {

    private static final Duration DRAIN = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "fan-out";
    }

    @Override
    public Report run(Settings settings, Affinity affinity) {
        Servers server = Servers.sharedWarm(settings, affinity);
        int rooms = settings.smoke() ? 4 : 20;
        int peers = settings.smoke() ? 5 : 20;
        int broadcastsPerSecond = settings.smoke() ? 20 : 50;
        int fan = peers - 1;
        int firstMeasured = (int) (broadcastsPerSecond * settings.warmup().toNanos() / 1_000_000_000L);
        int total = firstMeasured + (int) (broadcastsPerSecond * settings.measure().toNanos() / 1_000_000_000L);
        Deliveries deliveries = new Deliveries(total * fan, firstMeasured * fan);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        String tag = "fanout-" + Long.toHexString(System.nanoTime());
        BenchSocket[][] members = new BenchSocket[rooms][peers];
        String[][] ids = new String[rooms][peers];
        Bench.progress("fan-out: " + rooms + " rooms of " + peers + " members joining");
        try {
            for (int r = 0; r < rooms; r++) {
                for (int p = 0; p < peers; p++) {
                    int room = r;
                    int me = p;
                    members[r][p] = BenchSocket.join(http, server.node(0), tag + "-" + r, "p" + p, (from, sdp, arrivedAt) -> {
                        int colon = sdp.indexOf(':');
                        int seq = Integer.parseInt(sdp, 0, colon, 10);
                        long dueAt = Long.parseLong(sdp, colon + 1, sdp.length(), 10);
                        int sender = seq / rooms % peers;
                        boolean expected = seq % rooms == room && sender != me && from.equals(ids[room][sender]);
                        deliveries.arrived(expected ? seq * fan + (me < sender ? me : me - 1) : -1, dueAt, arrivedAt, expected);
                    }, problems::add);
                    ids[r][p] = members[r][p].peer();
                }
            }
            affinity.generator();
            OpenLoop.Sender broadcast = (seq, dueAt) -> {
                int room = seq % rooms;
                int sender = seq / rooms % peers;
                String sdp = seq + ":" + dueAt;
                for (int p = 0; p < peers; p++) {
                    if (p != sender) {
                        members[room][sender].send("{\"type\":\"offer\",\"to\":\"" + ids[room][p] + "\",\"sdp\":\"" + sdp + "\"}");
                    }
                }
            };
            Bench.progress("fan-out: " + broadcastsPerSecond + " broadcasts/s to " + fan + " members each");
            OpenLoop.run(0, firstMeasured, broadcastsPerSecond, broadcast);
            drain(deliveries, firstMeasured * fan);
            long measuredFrom = System.nanoTime();
            int before = deliveries.delivered();
            Latencies lateness = OpenLoop.run(firstMeasured, total, broadcastsPerSecond, broadcast);
            drain(deliveries, total * fan);
            double seconds = (System.nanoTime() - measuredFrom) / 1e9;
            Latencies l = deliveries.latencies();
            Table table = new Table("rooms × members", "broadcasts/s offered", "deliveries/s", "p50 ms", "p99 ms", "p99.9 ms",
                    "max ms", "sent", "delivered", "lost", "generator late p99 ms", "load avg");
            table.add(rooms + " × " + peers, broadcastsPerSecond, (deliveries.delivered() - before) / seconds, l.millis(50),
                    l.millis(99), l.millis(99.9), l.millis(100), deliveries.total(), deliveries.delivered(), deliveries.lost(),
                    lateness.millis(99), Load.now());
            List<String> failures = new ArrayList<>();
            if (deliveries.lost() > 0 || deliveries.duplicated() > 0 || deliveries.misrouted() > 0) {
                failures.add(String.format(Locale.ROOT, "fan-out: %d lost, %d duplicated, %d misrouted of %d", deliveries.lost(),
                        deliveries.duplicated(), deliveries.misrouted(), deliveries.total()));
            }
            problems.stream().limit(10).map(problem -> "fan-out: " + problem).forEach(failures::add);
            String title = String.format(Locale.ROOT,
                    "Fan-out: %d rooms of %d members, %,d broadcasts/s in all (each one signal to the %d others: %,d deliveries/s"
                            + " offered), %d s warm-up, %d s measured (deliveries/s over the measured schedule and its drain); %s",
                    rooms, peers, broadcastsPerSecond, fan, broadcastsPerSecond * fan, settings.warmup().toSeconds(),
                    settings.measure().toSeconds(), affinity);
            return new Report(title, table, List.of(), failures);
        } finally {
            for (BenchSocket[] room : members) {
                for (BenchSocket member : room) {
                    if (member != null) {
                        member.leave();
                    }
                }
            }
        }
    }

    /** Waits until {@code count} deliveries have arrived, or for {@link #DRAIN} if some never do. */
    private static void drain(Deliveries deliveries, int count) {
        long until = System.nanoTime() + DRAIN.toNanos();
        while (deliveries.delivered() < count && System.nanoTime() < until) {
            Servers.pause(Duration.ofMillis(20));
        }
    }
}
