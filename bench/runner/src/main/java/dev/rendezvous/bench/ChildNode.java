package dev.rendezvous.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A server that is one child process of the benchmark's: SIGTERM to stop it, SIGKILL to close it. */
abstract class ChildNode implements Node {

    protected final Process process;
    private final int port;

    protected ChildNode(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void stop(Duration wait) throws InterruptedException {
        process.destroy();
        process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
