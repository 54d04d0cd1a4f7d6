package dev.rendezvous.bench;

import dev.rendezvous.testkit.MicroProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

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
