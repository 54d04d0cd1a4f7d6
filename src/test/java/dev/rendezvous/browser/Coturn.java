package dev.rendezvous.browser;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real coturn ({@code turnserver}, Debian package {@code coturn}) for one test, on 127.0.0.1 only,
 * checking TURN REST API credentials against a shared secret; its config, log, pid file and user
 * database live in one directory under {@code target/}.
 */
final class Coturn implements AutoCloseable {

    static final String REALM = "rendezvous.test";
    private static final Duration START = Duration.ofSeconds(15);

    private final Daemon process;
    private final Path log;

    private Coturn(Process process, Path log) {
        this.process = new Daemon("coturn", process);
        this.log = log;
    }

    /** Starts coturn on 127.0.0.1:{@code port} (UDP and TCP) and returns once it listens. */
    static Coturn start(int port, String secret, Path dir) throws IOException, InterruptedException {
        Path binary = Path.of(System.getProperty("turn.binary", "/usr/bin/turnserver"));
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: install coturn (apt-get install -y coturn)");
        }
        Files.createDirectories(dir);
        Path config = dir.resolve("turnserver.conf");
        Path log = dir.resolve("turnserver.log");
        Files.deleteIfExists(log); // simple-log appends, and the checks read this run's lines only
        Files.deleteIfExists(dir.resolve("turndb"));
        // Given with -c, this file is the whole configuration: /etc/turnserver.conf (which says
        // "syslog" on Debian) is never read.
        Files.write(config, List.of(
                "listening-ip=127.0.0.1",
                "relay-ip=127.0.0.1",
                "listening-port=" + port,
                "use-auth-secret",
                "static-auth-secret=" + secret,
                "realm=" + REALM,
                // Both peers' relay addresses are on 127.0.0.1: without this coturn refuses the
                // permissions that let one relay send to the other (403 Forbidden IP).
                "allow-loopback-peers",
                "no-multicast-peers",
                "no-tls",
                "no-dtls",
                "no-cli",
                "fingerprint",
                "verbose",
                "log-file=" + log.toAbsolutePath(),
                "simple-log",
                "no-stdout-log",
                "pidfile=" + dir.resolve("turnserver.pid").toAbsolutePath(),
                // Otherwise it opens (and as root may create) the system-wide /var/lib/turn/turndb.
                "userdb=" + dir.resolve("turndb").toAbsolutePath()), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(binary.toString(), "-c", config.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("turnserver.out").toFile())
                .start();
        Coturn coturn = new Coturn(process, log);
        try {
            coturn.awaitListening("UDP listener opened on: 127.0.0.1:" + port);
        } catch (AssertionError | RuntimeException e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    private void awaitListening(String line) {
        try {
            Awaitility.await().atMost(START).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .failFast("coturn exited before listening", () -> !process.alive())
                    .until(() -> log().contains(line));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("coturn did not log '" + line + "' within " + START.toSeconds() + " s:\n" + log(), e);
        } catch (RuntimeException e) {
            throw new AssertionError("coturn exited with " + process.exitValue() + " before listening:\n" + log(), e);
        }
    }

    /** What coturn has logged so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    Path logFile() {
        return log;
    }

    /** Stops coturn (SIGTERM, then SIGKILL if it lingers) and waits until it has exited. */
    @Override
    public void close() {
        process.close();
    }
}
