package dev.rendezvous.bench;

import dev.rendezvous.testkit.MicroProcess;

import java.time.Duration;

/** A server process the benchmark started: where it listens, its JVM, and how it is stopped. */
interface Node extends AutoCloseable {

    /** Its HTTP port on 127.0.0.1. */
    int port();

    /** The process id of its JVM (what {@code /proc}, {@code taskset} and {@code jcmd} are pointed at). */
    long pid();

    /** Asks it to stop, as a container stop does; waits at most {@code wait}. */
    void stop(Duration wait) throws InterruptedException;

    /** Kills it if it is still running. */
    @Override
    void close();

    static Node of(MicroProcess micro) {
        return new Node() {
            @Override
            public int port() {
                return micro.port();
            }

            @Override
            public long pid() {
                return micro.pid();
            }

            @Override
            public void stop(Duration wait) throws InterruptedException {
                micro.stop(wait);
            }

            @Override
            public void close() {
                micro.close();
            }
        };
    }
}
