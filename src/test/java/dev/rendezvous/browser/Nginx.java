package dev.rendezvous.browser;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real nginx (Debian package {@code nginx}) for one test: a load balancer on 127.0.0.1 in front of
 * cluster nodes, configured as docs/OPERATIONS.md shows, round robin and not sticky. Its config,
 * logs, pid file and temporary files live in one directory under {@code target/}.
 */
final class Nginx implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(15);

    private final Daemon process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = new Daemon("nginx", process);
        this.dir = dir;
        this.port = port;
    }

    /** Starts nginx on 127.0.0.1:{@code port}, balancing over the nodes' HTTP ports, and returns once it listens. */
    static Nginx start(int port, List<Integer> nodes, Path dir) throws IOException {
        Path binary = Path.of(System.getProperty("nginx.binary", "/usr/sbin/nginx"));
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: install nginx (apt-get install -y nginx)");
        }
        Files.createDirectories(dir.resolve("temp"));
        String servers = nodes.stream().map(node -> "        server 127.0.0.1:" + node + " max_fails=0;")
                .collect(Collectors.joining("\n"));
        // The upstream and server blocks are OPERATIONS.md's, without the optional hash: round
        // robin, every (re)connection may reach either node. One worker, so that the round robin is
        // the same for every connection.
        String config = """
                daemon off;
                master_process on;
                worker_processes 1;
                user root root;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/temp/body;
                    proxy_temp_path %1$s/temp/proxy;
                    fastcgi_temp_path %1$s/temp/fastcgi;
                    uwsgi_temp_path %1$s/temp/uwsgi;
                    scgi_temp_path %1$s/temp/scgi;
                    upstream rendezvous {
                %2$s
                    }
                    map $http_upgrade $connection_upgrade {
                        default upgrade;
                        ''      close;
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://rendezvous;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_set_header Host $http_host;
                            proxy_next_upstream error timeout http_503;
                            proxy_connect_timeout 2s;
                            proxy_read_timeout 1h;
                        }
                    }
                }
                """.formatted(dir.toAbsolutePath(), servers, port);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(binary.toString(), "-p", dir.toAbsolutePath().toString(),
                "-c", file.toAbsolutePath().toString(), "-e", dir.resolve("error.log").toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        Nginx nginx = new Nginx(process, dir, port);
        try {
            nginx.awaitListening();
        } catch (AssertionError | RuntimeException e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    private void awaitListening() {
        try {
            Awaitility.await().atMost(START).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .failFast("nginx exited before listening", () -> !process.alive())
                    .until(this::listening);
        } catch (RuntimeException e) {
            throw new AssertionError("nginx did not listen on " + port + ":\n" + output(), e);
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    int port() {
        return port;
    }

    private String output() {
        try {
            StringBuilder text = new StringBuilder();
            for (String name : List.of("nginx.out", "error.log")) {
                Path path = dir.resolve(name);
                if (Files.exists(path)) {
                    text.append(Files.readString(path, StandardCharsets.ISO_8859_1));
                }
            }
            return text.toString();
        } catch (IOException e) {
            return "(cannot read nginx's output: " + e + ")";
        }
    }

    /** Stops nginx (SIGTERM, then SIGKILL if it lingers) and waits until it has exited. */
    @Override
    public void close() {
        process.close();
    }
}
