package dev.rendezvous.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * PeerJS server (npm {@code peer} 1.0.2, installed by {@code npm ci --prefix bench/peerjs}) run by
 * Node.js from its own command-line entry point on 127.0.0.1, with its concurrent-client limit
 * (5,000 by default) raised out of the way of the idle scenario's 10,000 and everything else as
 * shipped. Its log (a line per connect and disconnect, as shipped) goes to a file under
 * {@code bench/runner/target/}.
 */
final class PeerJsNode extends ChildNode {

    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final String ENTRY = "node_modules/peer/dist/bin/peerjs.js";

    private PeerJsNode(Process process, int port) {
        super(process, port);
    }

    static PeerJsNode start(int port) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("bench.peerjs.home", "../peerjs")).toAbsolutePath().normalize();
        Path entry = home.resolve(ENTRY);
        if (!Files.isRegularFile(entry)) {
            throw new IllegalStateException("no PeerJS server at " + entry + ": run npm ci --prefix bench/peerjs first");
        }
        Path log = Path.of(System.getProperty("it.war")).resolveSibling("peerjs-" + port + ".log");
        Process process = new ProcessBuilder("node", entry.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--concurrent_limit", "100000")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerJsNode node = new PeerJsNode(process, port);
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (!Node.listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                node.close();
                throw new IllegalStateException("PeerJS server did not start on port " + port + "; its log: " + log);
            }
            Thread.sleep(100);
        }
        return node;
    }

    /** Where its members connect. */
    URI base() {
        return URI.create("ws://127.0.0.1:" + port() + "/peerjs");
    }
}
