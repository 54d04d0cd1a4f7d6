package dev.rendezvous.it;

import dev.rendezvous.testkit.MicroProcess;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.Json;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image's own start-up, without an image: docker/entrypoint.sh itself starts Payara Micro from
 * a directory laid out as the Dockerfile lays out /opt/payara (the Micro jar, docker/preboot.asadmin, jvm.options,
 * the probe) with the built WAR in the deployment directory, so what the image runs cannot drift
 * from what is tested. The Dockerfile's HEALTHCHECK command is run against it too.
 */
@Timeout(240)
class EntrypointIT {

    private static final Pattern HEALTHCHECK = Pattern.compile("(?m)^HEALTHCHECK\\b(?:.*\\\\\\n)*.*?CMD (\\[.*])\\s*$");
    private static final Duration STOP = Duration.ofSeconds(30);

    private final int port = Integer.getInteger("it.entrypoint.port");

    @Test
    void theImagesCommandLineServesOneNodeOnHttpAloneAnswersItsHealthCheckAndStopsOnSigterm() throws Exception {
        Path war = Path.of(System.getProperty("it.war"));
        Path dir = Files.createTempDirectory(war.getParent(), "entrypoint-");
        Path payaraDir = Files.createDirectories(dir.resolve("payara"));
        Path deployDir = Files.createDirectories(dir.resolve("deployments"));
        Files.copy(Path.of(System.getProperty("payara.microJar")), payaraDir.resolve("payara-micro.jar"));
        Files.copy(Path.of("docker/HealthProbe.java"), payaraDir.resolve("HealthProbe.java"));
        Files.copy(Path.of("src/main/payara/jvm.options"), payaraDir.resolve("jvm.options"));
        Files.copy(war, deployDir.resolve("ROOT.war"));
        // The image's preboot file as it is, plus the one line that keeps HTTP on 127.0.0.1 here
        // (in a container it listens on every interface of the container).
        Path preboot = Files.copy(Path.of("docker/preboot.asadmin"), payaraDir.resolve("preboot.asadmin"));
        Files.writeString(preboot, "\nset configs.config.server-config.network-config.network-listeners"
                + ".network-listener.http-listener.address=127.0.0.1\n", StandardOpenOption.APPEND);

        ProcessBuilder entrypoint = new ProcessBuilder("sh", "docker/entrypoint.sh");
        Map<String, String> environment = entrypoint.environment();
        environment.remove("RENDEZVOUS_CLUSTER_MEMBERS");
        environment.put("PAYARA_DIR", payaraDir.toString());
        environment.put("DEPLOY_DIR", deployDir.toString());
        environment.put("RENDEZVOUS_MICRO_OPTIONS", "--port " + port + " --interfaces 127.0.0.1 --rootdir " + dir.resolve("root"));
        // A modest heap on a shared machine (the image's default is 70% of the container's memory);
        // should the grid ever come on here, it still binds only 127.0.0.1 (the test then fails).
        environment.put("JVM_ARGS", "-Xmx512m -Djava.io.tmpdir=" + dir + " -Dhazelcast.socket.bind.any=false");
        long started = System.nanoTime();
        try (MicroProcess micro = MicroProcess.run(entrypoint, dir.resolve("micro.log"), port)) {
            System.out.printf("EntrypointIT: ready after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            micro.awaitLog("rendezvous: single node, data grid off", Duration.ofSeconds(1));
            micro.awaitLog("Relay: this node alone", Duration.ofSeconds(1));
            // Without it every message costs Payara a class-path scan (see TyrusIdleTimers): a Payara
            // whose Tyrus changed shape would otherwise only show in the benchmark.
            micro.awaitLog("Tyrus session idle timers run on a plain scheduler", Duration.ofSeconds(1));
            assertTrue(Files.readString(Path.of("/proc/" + micro.pid() + "/cmdline")).contains("payara-micro.jar"),
                    "the entrypoint execs Java, so a container stop's SIGTERM reaches it");

            TestPeer peer = TestPeer.connect(URI.create("ws://127.0.0.1:" + port + "/signal/entrypoint?name=a"));
            assertEquals("entrypoint", peer.welcome().getString("room"));
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(0, runHealthCheck(payaraDir), "the HEALTHCHECK passes");
            assertEquals(Set.of(new InetSocketAddress("127.0.0.1", port)), listening(micro.pid()),
                    "HTTP on 127.0.0.1 is all it listens on: no data grid port");

            long stopping = System.nanoTime();
            assertTrue(micro.stop(STOP), "SIGTERM stops it within " + STOP);
            System.out.printf("EntrypointIT: stopped %d ms after SIGTERM%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
            assertEquals(1012, peer.awaitClose().code(), "its sockets are closed as the server restarts");
            assertEquals(1, runHealthCheck(payaraDir), "the HEALTHCHECK fails once the server is gone");
        }
    }

    /**
     * Runs the Dockerfile's HEALTHCHECK command as written, with /opt/payara at {@code payaraDir},
     * the container's port 8080 at ours, and this JVM's java; returns its exit code.
     */
    private int runHealthCheck(Path payaraDir) throws IOException, InterruptedException {
        Matcher matcher = HEALTHCHECK.matcher(Files.readString(Path.of("docker/Dockerfile")));
        assertTrue(matcher.find(), "the Dockerfile has a HEALTHCHECK with an exec-form CMD");
        List<String> command = new ArrayList<>();
        for (String word : Json.createReader(new StringReader(matcher.group(1))).readArray()
                .getValuesAs(JsonString::getString)) {
            command.add(word.replace("/opt/payara/", payaraDir + "/").replace("127.0.0.1:8080/", "127.0.0.1:" + port + "/"));
        }
        assertEquals("java", command.get(0));
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "the probe ends");
        System.out.printf("EntrypointIT: health check exit %d %s%n", probe.exitValue(), output.strip());
        return probe.exitValue();
    }

    /** The TCP addresses process {@code pid} listens on, from /proc (its socket inodes in the kernel's tables). */
    private static Set<InetSocketAddress> listening(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing
                }
            }
        }
        Set<InetSocketAddress> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // local_address is fields[1], st fields[3] (0A: LISTEN), inode fields[9]
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String[] local = fields[1].split(":");
                    listening.add(new InetSocketAddress(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return listening;
    }

    /** An address as /proc/net prints it (32-bit words in host order, little-endian here); IPv4-mapped ones as IPv4. */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
