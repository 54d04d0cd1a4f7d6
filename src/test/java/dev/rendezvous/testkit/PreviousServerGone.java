package dev.rendezvous.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * After a test class, waits until the Payara Micro processes this JVM started have exited. The
 * Arquillian adapter stops a class's server with SIGTERM and does not wait: the next class's
 * server, booting on the same port while the last one was still shutting down, could not bind it
 * and never deployed. Registered before {@code ArquillianExtension}, so that it runs after the
 * adapter has stopped the server.
 */
public final class PreviousServerGone implements AfterAllCallback {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + WAIT.toNanos();
        List<ProcessHandle> servers = ProcessHandle.current().children().filter(PreviousServerGone::isPayaraMicro).toList();
        for (ProcessHandle server : servers) {
            try {
                server.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                System.out.printf("%s: Payara Micro %d exited %d ms after the class%n", context.getDisplayName(), server.pid(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            } catch (TimeoutException | ExecutionException e) {
                System.out.printf("%s: Payara Micro %d still running %s after the class; killed%n", context.getDisplayName(),
                        server.pid(), WAIT);
                server.destroyForcibly();
            }
        }
    }

    private static boolean isPayaraMicro(ProcessHandle process) {
        return process.info().commandLine().map(line -> line.contains("payara-micro")).orElse(false);
    }
}
