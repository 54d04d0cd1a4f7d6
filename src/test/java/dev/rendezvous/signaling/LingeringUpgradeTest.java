package dev.rendezvous.signaling;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection the WebSocket implementation writes to: no byte reaches the container after the
 * close, and a write under way finishes first. The container stands in for Payara, whose stream
 * serves another socket once the connection is closed (see {@link GatedOutput}).
 *
 * <p>Longer than most tests: the stand-in container and its two streams are half of it.
 */
@Timeout(120)
class LingeringUpgradeTest {

    /** As {@link Closes} makes it: a cancelled task leaves the queue at once. */
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    LingeringUpgradeTest() {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /**
     * Payara copies every field and method the handler class declares (static ones too) each time it
     * makes one, once per connection: the class holds only what a connection needs of it. (Members a
     * coverage tool adds, named with {@code $}, are left out; a lambda's method is not.)
     */
    @Test
    void theHandlerClassDeclaresOnlyWhatEachConnectionNeeds() {
        List<String> fields = Arrays.stream(LingeringUpgrade.class.getDeclaredFields()).map(Field::getName)
                .filter(name -> !name.startsWith("$")).sorted().toList();
        List<String> methods = Arrays.stream(LingeringUpgrade.class.getDeclaredMethods()).map(Method::getName)
                .filter(name -> !name.startsWith("$")).sorted().toList();

        assertEquals(List.of("TYRUS", "delegate", "lingering", "timer", "tyrus"), fields);
        assertEquals(List.of("delegateTo", "destroy", "init"), methods);
    }

    @Test
    void aFrameWrittenAfterTheCloseNeverReachesTheSocketThatGetsTheStreamNext() throws Exception {
        Recycling container = new Recycling();
        WebConnection connection = upgraded(container, wc -> { });
        write(connection, "welcome");
        closeAfterInputEnded(connection);
        assertThrows(IOException.class, () -> write(connection, "late"));
        assertEquals(List.of("own:welcome", "close"), container.wire);
    }

    /**
     * The server closes first and the client's input ends a moment later: the connection ends then,
     * and its lingering timeout is gone with it, not left to hold the connection for its delay.
     */
    @Test
    void aLingeringCloseThatEndsSoonerLeavesNoTimeoutBehind() throws Exception {
        Recycling container = new Recycling();
        WebConnection connection = upgraded(container, wc -> { });
        write(connection, "error");
        connection.close();
        assertEquals(1, timer.getQueue().size(), "the server's close lingers, with its timeout set");
        assertEquals(List.of("own:error"), container.wire, "nothing closed while the client may still send");
        assertEquals(-1, connection.getInputStream().read(new byte[16], 0, 16));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> container.wire.contains("close"));
        assertEquals(List.of("own:error", "close"), container.wire);
        // The end ran on the timer (not on the reading thread), and the timeout left the queue unrun.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> timer.getCompletedTaskCount() == 1);
        assertTrue(timer.getQueue().isEmpty(), "no timeout left: " + timer.getQueue());
    }

    /**
     * The client's close frame arrives while the server's close lingers, and the client closes its
     * socket right after it, as many clients do: the connection ends on the reading thread as soon as
     * the delivery that read the frame returns, before the container reads on and finds the socket
     * gone (where Payara's close of the connection fails, with a stack trace per connection).
     */
    @Test
    void theClientsCloseFrameReadInADeliveryEndsTheConnectionWhenTheDeliveryReturns() throws Exception {
        Recycling container = new Recycling();
        WebConnection connection = upgraded(container, wc -> { });
        ServletInputStream input = connection.getInputStream();
        List<String> seen = new CopyOnWriteArrayList<>();
        input.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                // As Tyrus does, and it drops a close frame that comes while its own close is under way.
                byte[] read = new byte[16];
                seen.add("read " + input.read(read, 0, read.length) + ", " + container.wire);
            }

            @Override
            public void onAllDataRead() {
            }

            @Override
            public void onError(Throwable failure) {
            }
        });
        write(connection, "close");
        connection.close();
        assertEquals(1, timer.getQueue().size(), "the server's close lingers, with its timeout set");

        container.incoming = new byte[] {(byte) 0x88, (byte) 0x80, 1, 2, 3, 4};
        container.readListener.onDataAvailable();
        assertEquals(List.of("read 6, [own:close]"), seen, "not ended inside the implementation's read");
        assertEquals(List.of("own:close", "close"), container.wire, "ended when the delivery returned");
        assertTrue(timer.getQueue().isEmpty(), "the timeout is gone with it: " + timer.getQueue());
        timer.shutdown();
        assertTrue(timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, timer.getCompletedTaskCount(), "nothing was left to the timer");
    }

    @Test
    void whatOnOpenWritesAfterTheCloseItAskedForGoesNowhere() throws Exception {
        Recycling container = new Recycling();
        upgraded(container, wc -> {
            try {
                write(wc, "error");
                closeAfterInputEnded(wc);
                container.wire.add("init still running");
                assertThrows(IOException.class, () -> write(wc, "after the close"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of("own:error", "close", "init still running"), container.wire);
    }

    /**
     * Writers race the close, thousands of times: whatever the interleaving, every byte that reaches
     * the container reaches it before its close, and a write is either whole on the wire or refused.
     */
    @Test
    void writersRacingTheCloseNeverReachTheNextSocket() throws Exception {
        int connections = 2000;
        int misdelivered = 0;
        for (int i = 0; i < connections; i++) {
            Recycling container = new Recycling();
            WebConnection connection = upgraded(container, wc -> { });
            CountDownLatch go = new CountDownLatch(1);
            Thread[] writers = new Thread[3];
            for (int w = 0; w < writers.length; w++) {
                String frame = "frame" + w;
                writers[w] = new Thread(() -> {
                    awaitQuietly(go);
                    try {
                        write(connection, frame);
                    } catch (IOException refused) {
                        // Closed first: refused whole, as on a closed socket.
                    }
                });
                writers[w].start();
            }
            go.countDown();
            closeAfterInputEnded(connection);
            for (Thread writer : writers) {
                writer.join();
            }
            misdelivered += (int) container.wire.stream().filter(event -> event.startsWith("next:")).count();
        }
        assertEquals(0, misdelivered, "frames that reached the next socket, over " + connections + " connections");
    }

    @Test
    void noEndpointIsMadeWhileAConnectionsInputIsDelivered() throws Exception {
        Recycling container = new Recycling();
        WebConnection connection = upgraded(container, wc -> { });
        EndpointFactory factory = new EndpointFactory();
        List<String> seen = new CopyOnWriteArrayList<>();
        connection.getInputStream().setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() {
                seen.add("data, reading=" + UpgradeThread.reading() + ", " + made(factory));
            }

            @Override
            public void onAllDataRead() {
                seen.add("end, reading=" + UpgradeThread.reading() + ", " + made(factory));
            }

            @Override
            public void onError(Throwable failure) {
                seen.add("error, reading=" + UpgradeThread.reading() + ", " + made(factory));
            }
        });
        container.readListener.onDataAvailable();
        container.readListener.onAllDataRead();
        container.readListener.onError(new IOException("reset"));
        assertEquals(List.of("data, reading=true, refused", "end, reading=true, refused", "error, reading=true, refused"), seen);
        assertFalse(UpgradeThread.reading(), "the mark ends with the delivery");
        assertEquals("asked the container", made(factory), "a connection that opens gets its endpoint");
    }

    /**
     * A delivery relays what it read, then the reader asks whether more input is ready: with nothing
     * more buffered, the relayed frames are flushed before the container is asked (asking wakes its
     * selector, which on a busy core would run ahead of the flush); with more buffered, they wait
     * for the rest of the read.
     */
    @Test
    void whatADeliveryRelayedIsFlushedBeforeTheContainerIsAskedForInputThatIsNotThere() throws Exception {
        for (int buffered : new int[] {0, 100}) {
            Recycling container = new Recycling();
            WebConnection connection = upgraded(container, wc -> { });
            TextFrames frames = (TextFrames) connection.getOutputStream();
            ServletInputStream input = connection.getInputStream();
            container.buffered = buffered;
            input.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() {
                    frames.writeText("relayed", result -> container.calls.add("sent " + result.isOK()));
                    container.calls.add("ready? " + input.isReady());
                }

                @Override
                public void onAllDataRead() {
                }

                @Override
                public void onError(Throwable failure) {
                }
            });
            container.readListener.onDataAvailable();
            assertEquals(buffered == 0 ? List.of("write", "sent true", "flush", "container asked", "ready? true")
                    : List.of("write", "sent true", "container asked", "ready? true", "flush"), container.calls, buffered + " bytes buffered");
        }
    }

    /** What the factory does for a frame delivered now: refuses, or makes one (which needs CDI, absent here). */
    private static String made(EndpointFactory factory) {
        try {
            factory.getEndpointInstance(SignalingEndpoint.class);
            return "made";
        } catch (InstantiationException refused) {
            return "refused";
        } catch (RuntimeException noContainer) {
            return "asked the container";
        }
    }

    private WebConnection upgraded(Recycling container, Consumer<WebConnection> onInit) {
        WebConnection[] given = new WebConnection[1];
        LingeringUpgrade upgrade = new LingeringUpgrade();
        upgrade.delegateTo(new HttpUpgradeHandler() {
            @Override
            public void init(WebConnection wc) {
                given[0] = wc;
                onInit.accept(wc);
            }

            @Override
            public void destroy() {
            }
        }, timer);
        upgrade.init(container);
        return given[0];
    }

    /** As Tyrus does when the client's input ends: reads the end, then closes. */
    private static void closeAfterInputEnded(WebConnection connection) throws IOException {
        assertEquals(-1, connection.getInputStream().read(new byte[16], 0, 16));
        try {
            connection.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** As Tyrus's writer does: the frame, then a flush. */
    private static void write(WebConnection connection, String frame) throws IOException {
        ServletOutputStream out = connection.getOutputStream();
        byte[] bytes = frame.getBytes();
        out.write(bytes, 0, bytes.length);
        out.flush();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Payara's upgraded connection as far as order goes: once closed, its output stream is the next socket's. */
    private static final class Recycling implements WebConnection {

        final List<String> wire = new CopyOnWriteArrayList<>();
        /** Writes, flushes and questions about the input, in order. */
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** What the input says it holds, read but not yet taken. */
        volatile int buffered;
        private volatile boolean closed;
        /** What the implementation asked to be called with the client's input. */
        volatile ReadListener readListener;
        /** The client's bytes the next read returns; after them, the end of the input. */
        volatile byte[] incoming;

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                @Override
                public int read() {
                    return -1;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    byte[] bytes = incoming;
                    if (bytes == null) {
                        return -1;
                    }
                    incoming = null;
                    int n = Math.min(length, bytes.length);
                    System.arraycopy(bytes, 0, buffer, offset, n);
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return true;
                }

                @Override
                public int available() {
                    return buffered;
                }

                @Override
                public boolean isReady() {
                    calls.add("container asked");
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    readListener = listener;
                }
            };
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    wire.add((closed ? "next:" : "own:") + new String(bytes, offset, length));
                    calls.add("write");
                }

                @Override
                public void flush() {
                    calls.add("flush");
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }
            };
        }

        @Override
        public void close() {
            closed = true;
            wire.add("close");
        }
    }
}
