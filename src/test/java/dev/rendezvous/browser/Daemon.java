package dev.rendezvous.browser;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A server program a test started (coturn, nginx): stopped with SIGTERM, then SIGKILL if it lingers,
 * and killed should the test JVM end without closing it, so that it cannot outlive the run.
 */
final class Daemon implements AutoCloseable {

    private static final Duration STOP = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Thread reaper;

    Daemon(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reaper = new Thread(process::destroyForcibly, name + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    boolean alive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Stops it (SIGTERM, then SIGKILL if it lingers) and waits until it has exited. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing left to undo
        }
        if (process.isAlive()) {
            throw new AssertionError(name + " (pid " + process.pid() + ") did not exit");
        }
    }
}
