package dev.rendezvous.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a run does, from system properties ({@code -Dbench.*} on the Maven command line). A smoke
 * run ({@code bench.smoke=true}) has smaller defaults so it takes seconds; each value can still be
 * set on its own.
 *
 * @param scenarios   the scenarios to run, by name ({@code bench.scenarios}, comma-separated)
 * @param smoke       whether this is the short run CI calls
 * @param rate        messages per second offered in all ({@code bench.rate})
 * @param rooms       rooms (one sending and one receiving member each) the rate is spread over ({@code bench.rooms})
 * @param warmup      how long load runs before it is measured ({@code bench.warmup}, seconds)
 * @param measure     how long load is measured ({@code bench.measure}, seconds)
 * @param rounds      how many times each case is measured, the cases taking turns ({@code bench.rounds})
 * @param pin         whether to pin the servers to CPU 0 and this generator to CPU 1 ({@code bench.pin})
 * @param port        the first of the servers' HTTP ports ({@code bench.port}; the benchmark uses it and the next three)
 * @param gridPort    the first of the cluster's grid ports ({@code bench.grid.port}; it and the next)
 * @param profile     whether the {@code hot-methods} scenario records the server with JFR ({@code bench.profile}; not in a smoke run)
 * @param container   where the shared node runs: {@code payara} (Payara Micro) or {@code wildfly} ({@code bench.container})
 * @param dispatchToWorker on WildFly, whether Undertow hands each WebSocket message to a worker thread
 *                    ({@code bench.wildfly.dispatch-to-worker}; default false, as docs/OPERATIONS.md advises)
 * @param ioThreads   on WildFly, Undertow's I/O threads ({@code bench.wildfly.io-threads}; default 1, as OPERATIONS.md
 *                    advises for a server on one core; 0 leaves WildFly's default, two per CPU)
 * @param peerJsPort  PeerJS server's port ({@code bench.peerjs.port}; default {@code bench.port + 4})
 * @param loadRates   the offered rates {@code relay-load} measures ({@code bench.load.rates}, comma-separated; default
 *                    2,000 and 10,000, in a smoke run 500)
 * @param trace       where {@code relay-load} writes each measured signal's due time and latency, a file per round
 *                    ({@code bench.trace}, a directory; empty: nowhere)
 */
record Settings(List<String> scenarios, boolean smoke, int rate, int rooms, Duration warmup, Duration measure, int rounds,
                boolean pin, int port, int gridPort, boolean profile, String container, boolean dispatchToWorker,
                int ioThreads, int peerJsPort, List<Integer> loadRates, String trace) {

    static final String PAYARA = "payara";
    static final String WILDFLY = "wildfly";

    static Settings fromSystemProperties() {
        boolean smoke = Boolean.parseBoolean(property("bench.smoke", "false"));
        int port = Integer.parseInt(property("bench.port", "18321"));
        Settings settings = new Settings(
                Arrays.stream(property("bench.scenarios", "all").split(",")).map(String::trim)
                        .filter(name -> !name.isEmpty()).toList(),
                smoke,
                Integer.parseInt(property("bench.rate", smoke ? "200" : "1000")),
                Integer.parseInt(property("bench.rooms", smoke ? "10" : "50")),
                Duration.ofSeconds(Long.parseLong(property("bench.warmup", smoke ? "1" : "10"))),
                Duration.ofSeconds(Long.parseLong(property("bench.measure", smoke ? "2" : "20"))),
                Integer.parseInt(property("bench.rounds", smoke ? "1" : "3")),
                Boolean.parseBoolean(property("bench.pin", "true")),
                port,
                Integer.parseInt(property("bench.grid.port", "16321")),
                Boolean.parseBoolean(property("bench.profile", smoke ? "false" : "true")),
                property("bench.container", PAYARA),
                Boolean.parseBoolean(property("bench.wildfly.dispatch-to-worker", "false")),
                Integer.parseInt(property("bench.wildfly.io-threads", "1")),
                Integer.parseInt(property("bench.peerjs.port", Integer.toString(port + 4))),
                Arrays.stream(property("bench.load.rates", smoke ? "500" : "2000,10000").split(",")).map(String::trim)
                        .filter(rate -> !rate.isEmpty()).map(Integer::valueOf).toList(),
                property("bench.trace", ""));
        if (!settings.container.equals(PAYARA) && !settings.container.equals(WILDFLY)) {
            throw new IllegalArgumentException("bench.container must be payara or wildfly, was '" + settings.container + "'");
        }
        if (settings.ioThreads < 0) {
            throw new IllegalArgumentException("bench.wildfly.io-threads must be 0 (WildFly's default) or more, was " + settings.ioThreads);
        }
        if (settings.loadRates.isEmpty() || settings.loadRates.stream().anyMatch(rate -> rate < 1)) {
            throw new IllegalArgumentException("bench.load.rates must list rates of at least 1, was " + settings.loadRates);
        }
        if (settings.rate < 1 || settings.rooms < 1 || settings.rounds < 1 || settings.measure.isZero() || settings.warmup.isNegative()) {
            throw new IllegalArgumentException("bench.rate, bench.rooms and bench.rounds must be at least 1 and bench.measure more than 0: "
                    + settings);
        }
        return settings;
    }

    /** The same run at another offered rate over another number of rooms. */
    Settings at(int rate, int rooms) {
        return new Settings(scenarios, smoke, rate, rooms, warmup, measure, rounds, pin, port, gridPort, profile, container,
                dispatchToWorker, ioThreads, peerJsPort, loadRates, trace);
    }

    boolean onWildFly() {
        return container.equals(WILDFLY);
    }

    /** The shared node's container, as the tables name it. */
    String containerName() {
        return onWildFly()
                ? "WildFly (dispatch-to-worker=" + dispatchToWorker + ", io-threads=" + (ioThreads == 0 ? "default" : ioThreads) + ")"
                : "Payara Micro";
    }

    /** Maven passes an unset property on as an empty string: that means the default too. */
    private static String property(String key, String otherwise) {
        String value = System.getProperty(key);
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    /** Messages one sending member offers per second. */
    double ratePerSender() {
        return (double) rate / rooms;
    }

    /** The servers' environment: limits raised so the offered load, not a limit, is what is measured. */
    Map<String, String> serverEnvironment() {
        int perSocket = Math.max(50, (int) Math.ceil(4 * ratePerSender()));
        return Map.of(
                "SIGNALING_RATE_PER_SECOND", Integer.toString(perSocket),
                "SIGNALING_RATE_BURST", Integer.toString(Math.max(200, 4 * perSocket)),
                "SIGNALING_CONNECTIONS_PER_ADDRESS", Integer.toString(Math.max(100, 2 * rooms + 20)),
                "SIGNALING_CONNECTIONS_MAX", Integer.toString(Math.max(20000, 2 * rooms + 20)));
    }
}
