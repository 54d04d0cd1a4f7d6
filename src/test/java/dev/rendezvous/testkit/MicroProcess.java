package dev.rendezvous.testkit;

import jakarta.json.JsonObject;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * The built WAR on a Payara Micro process of the test's own, for what Arquillian does not do: stop
 * the server gracefully or kill it, inspect its JVM, or run several as a cluster. Listens on
 * 127.0.0.1 only.
 */
public final class MicroProcess implements AutoCloseable {

    private static final Duration BOOT = Duration.ofSeconds(180);
    /** Seconds without a heartbeat before the grid drops a member (Hazelcast's default is 60). */
    public static final int GRID_SILENCE_SECONDS = 8;

    private final Process process;
    private final Path log;
    private final int port;

    private MicroProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Boots Micro on {@code port} with the WAR and these environment variables, and waits until it is deployed. */
    public static MicroProcess start(int port, Map<String, String> environment) throws IOException, InterruptedException {
        return start(port, environment, List.of());
    }

    /** {@link #start(int, Map)}, with these WARs deployed beside the project's. */
    public static MicroProcess start(int port, Map<String, String> environment, List<Path> alsoDeployed)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--nocluster", "--prebootcommandfile", System.getProperty("it.preboot")));
        alsoDeployed.forEach(war -> options.addAll(List.of("--deploy", war.toString())));
        return launch(port, environment, List.of(), options);
    }

    /**
     * Boots one node of a data-grid cluster, {@code gridPort} its Hazelcast port: members find each
     * other by TCP/IP on the listed 127.0.0.1 ports (never multicast), bind only 127.0.0.1, and
     * drop a member not heard for {@value #GRID_SILENCE_SECONDS} s. Waits until it is deployed,
     * not until the cluster has formed.
     */
    public static MicroProcess startNode(int port, int gridPort, List<Integer> gridPorts, String clusterName,
                                         Map<String, String> environment) throws IOException, InterruptedException {
        String members = gridPorts.stream().map(p -> "127.0.0.1:" + p).reduce((x, y) -> x + "," + y).orElseThrow();
        return launch(port, environment, clusterJvmOptions(), List.of(
                "--clustermode", "tcpip:" + members, "--startport", Integer.toString(gridPort),
                "--interfaces", "127.0.0.1", "--clustername", clusterName,
                "--prebootcommandfile", System.getProperty("it.preboot.cluster")));
    }

    /**
     * The JVM options every server runs with, as the run command and the image pass them: the
     * argument file {@code it.jvm.options} names (the build's copy of {@code src/main/payara/jvm.options}).
     */
    public static List<String> serverJvmOptions() {
        String file = System.getProperty("it.jvm.options", "");
        return file.isBlank() ? List.of() : List.of("@" + file);
    }

    /** The grid settings a cluster node runs with, as docs/OPERATIONS.md documents them. */
    public static List<String> clusterJvmOptions() {
        return List.of("-Dhazelcast.socket.bind.any=false", "-Dhazelcast.phone.home.enabled=false",
                "-Dhazelcast.shutdownhook.enabled=false",
                "-Dhazelcast.heartbeat.interval.seconds=1", "-Dhazelcast.max.no.heartbeat.seconds=" + GRID_SILENCE_SECONDS);
    }

    private static MicroProcess launch(int port, Map<String, String> environment, List<String> jvmOptions,
                                       List<String> microOptions) throws IOException, InterruptedException {
        Path target = Path.of(System.getProperty("it.war")).getParent();
        Path root = Files.createTempDirectory(target, "micro-" + port + "-");
        Path log = root.resolve("micro.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + root);
        command.addAll(serverJvmOptions());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("payara.microJar"), "--disablephonehome"));
        command.addAll(microOptions);
        command.addAll(List.of(
                "--rootdir", root.resolve("root").toString(),
                "--port", Integer.toString(port),
                "--deploy", System.getProperty("it.war")));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return run(builder, log, port);
    }

    /**
     * Runs a command that starts Payara Micro with the WAR on {@code port} (such as the image's
     * entrypoint), its output going to {@code log}, and waits until it is deployed.
     */
    public static MicroProcess run(ProcessBuilder builder, Path log, int port) throws IOException, InterruptedException {
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        MicroProcess micro = new MicroProcess(builder.start(), log, port);
        try {
            micro.awaitLog(" ready in ", BOOT);
        } catch (RuntimeException e) {
            micro.close();
            throw e;
        }
        return micro;
    }

    /**
     * Deployed is not clustered: until the grid has formed, each node keeps its rooms to itself.
     * Probes until a member joining on the second node is told of one already on the first, and
     * the first hears of it; fails after {@code wait}.
     */
    public static void awaitCluster(int firstPort, int secondPort, Duration wait) {
        AtomicReference<String> lastSeen = new AtomicReference<>("no probe finished");
        try {
            await().atMost(wait).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .until(() -> clustered(firstPort, secondPort, lastSeen));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the nodes formed no cluster within " + wait + "; last probe: " + lastSeen.get(), e);
        }
    }

    /** One probe in a fresh room; what it saw goes to {@code lastSeen} when the nodes are not one cluster yet. */
    private static boolean clustered(int firstPort, int secondPort, AtomicReference<String> lastSeen) {
        String room = "formation-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestPeer a = TestPeer.connect(probe(firstPort, room)); TestPeer b = TestPeer.connect(probe(secondPort, room))) {
            String first = a.welcome().getString("peer");
            JsonObject welcome = b.welcome();
            boolean seen = welcome.getJsonArray("peers").stream()
                    .anyMatch(p -> first.equals(p.asJsonObject().getString("peer")));
            if (seen && a.next("peer-joined").getString("peer").equals(welcome.getString("peer"))) {
                return true;
            }
            lastSeen.set("the second node's welcome listed " + welcome.getJsonArray("peers"));
        } catch (AssertionError | RuntimeException notYet) {
            lastSeen.set(notYet.toString());
        }
        return false;
    }

    private static URI probe(int port, String room) {
        return URI.create("ws://127.0.0.1:" + port + "/signal/" + room);
    }

    /** Whether the process still runs. */
    public boolean alive() {
        return process.isAlive();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until the server's log contains {@code text}; fails if the process ends or time runs out. */
    public void awaitLog(String text, Duration wait) {
        try {
            await().atMost(wait).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .failFast("Payara Micro ended; its log: " + log, () -> !process.isAlive())
                    .until(() -> Files.exists(log) && Files.readString(log).contains(text));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("'" + text + "' not in the Payara Micro log within " + wait + ": " + log, e);
        }
    }

    /** SIGTERM: the JVM's shutdown hooks undeploy the application, as a container stop does. */
    public boolean stop(Duration wait) throws InterruptedException {
        process.destroy();
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: nothing runs, nothing is closed politely. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process stays, its sockets stay open, nothing answers (a hung VM, a cut cable). */
    public void freeze() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
