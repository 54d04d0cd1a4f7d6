package dev.rendezvous.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link BareRelay} in a JVM of its own, started with the generator's own classpath (the class
 * loader Maven runs the benchmark in), its log under {@code bench/runner/target/}.
 */
final class BareRelayNode extends ChildNode {

    private static final Duration BOOT = Duration.ofSeconds(60);

    private BareRelayNode(Process process, int port) {
        super(process, port);
    }

    static BareRelayNode start(int port) throws IOException, InterruptedException {
        Path log = Path.of(System.getProperty("it.war")).resolveSibling("bare-relay-" + port + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", classpath(), BareRelay.class.getName(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BareRelayNode node = new BareRelayNode(process, port);
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (!Node.listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                node.close();
                throw new IllegalStateException("the bare relay did not start on port " + port + "; its log: " + log);
            }
            Thread.sleep(100);
        }
        return node;
    }

    /** The class path this class was loaded from: the URLs of its loaders, else this JVM's. */
    private static String classpath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader loader = BareRelayNode.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a file: nothing a child JVM could load
                    }
                }
            }
        }
        return entries.isEmpty() ? System.getProperty("java.class.path") : String.join(File.pathSeparator, entries);
    }

    URI base() {
        return URI.create("ws://127.0.0.1:" + port() + "/bare/");
    }
}
