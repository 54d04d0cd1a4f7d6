package dev.rendezvous.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The built WAR on a WildFly of the benchmark's own: the unpacked dist ({@code bench.wildfly.home},
 * which {@code -Dbench.container=wildfly} has Maven unpack) run by its {@code standalone.sh} with the
 * MicroProfile configuration, on a server directory of its own under {@code bench/runner/target/},
 * every port shifted so that HTTP is {@code port} and nothing else collides, all on 127.0.0.1.
 */
final class WildFlyNode implements Node {

    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final String CONFIG = "standalone-microprofile.xml";
    private static final int DEFAULT_HTTP_PORT = 8080;
    /** WildFly's heap and metaspace options without its default -Xmx512m: the heap sized as Payara Micro's is. */
    private static final String JAVA_OPTS = "-Xms64m -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=512m "
            + "-Djava.net.preferIPv4Stack=true -Djboss.modules.system.pkgs=org.jboss.byteman -Djava.awt.headless=true";

    private final Process script;
    private final ProcessHandle jvm;
    private final int port;

    private WildFlyNode(Process script, ProcessHandle jvm, int port) {
        this.script = script;
        this.jvm = jvm;
        this.port = port;
    }

    /**
     * Boots WildFly with the product's WAR at {@code /} and {@code alsoDeployed} beside it, and waits
     * until every one is deployed. With {@code dispatchToWorker} false, Undertow runs WebSocket
     * endpoints on its I/O threads; {@code ioThreads} more than 0 sets how many there are (the
     * settings docs/OPERATIONS.md gives operators).
     */
    static WildFlyNode start(int port, Map<String, String> environment, List<Path> alsoDeployed, boolean dispatchToWorker,
                             int ioThreads) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("bench.wildfly.home", ""));
        if (!Files.isExecutable(home.resolve("bin/standalone.sh"))) {
            throw new IllegalStateException("no WildFly at '" + home + "': run with ./mvnw -f bench/pom.xml verify -Dbench.container=wildfly, "
                    + "which unpacks it");
        }
        Path war = Path.of(System.getProperty("it.war"));
        Path base = Files.createTempDirectory(war.getParent(), "wildfly-" + port + "-");
        Files.createDirectories(base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        try (Stream<Path> files = Files.list(home.resolve("standalone/configuration"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("configuration").resolve(file.getFileName()));
            }
        }
        configure(base.resolve("configuration").resolve(CONFIG), dispatchToWorker, ioThreads);
        List<String> deployments = new ArrayList<>(List.of("ROOT.war"));
        Files.copy(war, base.resolve("deployments/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
        for (Path other : alsoDeployed) {
            Files.copy(other, base.resolve("deployments").resolve(other.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            deployments.add(other.getFileName().toString());
        }
        Path log = base.resolve("console.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(), "-c", CONFIG,
                "-Djboss.server.base.dir=" + base, "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + (port - DEFAULT_HTTP_PORT))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("JAVA_OPTS", JAVA_OPTS);
        builder.environment().remove("LAUNCH_JBOSS_IN_BACKGROUND");
        Process script = builder.start();
        try {
            awaitDeployed(script, log, deployments);
            ProcessHandle jvm = script.descendants()
                    .filter(child -> child.info().command().map(command -> command.endsWith("/java")).orElse(false))
                    .findFirst().orElseThrow(() -> new IllegalStateException("WildFly started no JVM; its log: " + log));
            return new WildFlyNode(script, jvm, port);
        } catch (RuntimeException | IOException | InterruptedException e) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
            throw e;
        }
    }

    private static void configure(Path config, boolean dispatchToWorker, int ioThreads) throws IOException {
        // The WildFly suite may have set the attribute in the unpacked dist already.
        String xml = replace(config, Files.readString(config), "<websockets( dispatch-to-worker=\"(true|false)\")?/>",
                "<websockets dispatch-to-worker=\"" + dispatchToWorker + "\"/>");
        if (ioThreads > 0) {
            xml = replace(config, xml, "<worker name=\"default\"/>", "<worker name=\"default\" io-threads=\"" + ioThreads + "\"/>");
        }
        Files.writeString(config, xml);
    }

    /** Replaces the one element matching {@code element}, a regular expression. */
    private static String replace(Path config, String xml, String element, String with) {
        Matcher found = Pattern.compile(element).matcher(xml);
        if (!found.find()) {
            throw new IllegalStateException(config + " has no element matching " + element + " to configure");
        }
        return found.replaceFirst(Matcher.quoteReplacement(with));
    }

    private static void awaitDeployed(Process script, Path log, List<String> deployments) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("WFLYSRV0025") || text.contains("WFLYSRV0026")) {
                for (String name : deployments) {
                    if (!text.contains("WFLYSRV0010: Deployed \"" + name + "\"")) {
                        throw new IllegalStateException("WildFly started without deploying " + name + "; its log: " + log);
                    }
                }
                return;
            }
            if (!script.isAlive()) {
                throw new IllegalStateException("WildFly ended; its log: " + log);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("WildFly did not start within " + BOOT + "; its log: " + log);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return jvm.pid();
    }

    /** SIGTERM to the JVM: WildFly stops gracefully, then its script ends. */
    @Override
    public void stop(Duration wait) throws InterruptedException {
        jvm.destroy();
        script.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (jvm.isAlive()) {
            jvm.destroyForcibly();
        }
        if (script.isAlive()) {
            script.destroyForcibly();
        }
    }
}
