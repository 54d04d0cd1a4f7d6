package dev.rendezvous.signaling;

import jakarta.enterprise.context.Dependent;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The upgraded connection as the WebSocket implementation sees it, except that the close it asks for
 * before the client's close frame has come is put off until that frame comes, or
 * {@link Lingering#LINGER_MILLIS}.
 *
 * <p>Tyrus on a servlet container ends TCP as soon as it has written its own close frame
 * ({@code ProtocolHandler.close} → {@code TyrusWebSocket.onClose} → {@code TyrusServletWriter.close}
 * → {@code WebConnection.close}). A client still sending then has frames unread on the server, the
 * kernel answers with a reset, and the client loses what was on its way to it: the errors, the close
 * frame. Meanwhile the implementation goes on reading and dropping what arrives. Once the client's
 * close frame has been read whole the connection ends at once: Tyrus usually asks again then, but
 * not always (a close frame that arrives while the server's own close is still under way is
 * dropped), so the bytes read decide, not Tyrus.
 *
 * <p>Nor does Tyrus asking again mean the client is done: when it refuses a frame (text that is not
 * UTF-8, say) it drops the rest of the read that held it, so a read that ended inside the next frame
 * leaves it reading from the middle of a frame, which it takes for a protocol error and closes for
 * again. Only the client's close frame, the end of its input, or the timeout end a lingering connection.
 *
 * <p>The output is shut before the close ({@link GatedOutput}): on Payara a frame written after the
 * close would go out on another socket, ahead of that socket's {@code 101}.
 *
 * <p>It also marks the threads that deliver the client's input to the implementation
 * ({@link UpgradeThread#reading()}): {@link EndpointFactory} makes no endpoint there (see its
 * comment). And it unmasks the client's frames for Tyrus, eight bytes at a time where Tyrus goes
 * byte by byte ({@link FrameScanner}, {@link #TYRUS}), and lets the server's own text frames past
 * Tyrus's encoder ({@link UpgradeThread#opening()}).
 *
 * <p>A bean, and a (silent) request listener, only for the container's sake: Payara makes every
 * upgrade handler a CDI managed object, which costs a fresh {@code InjectionTarget} per connection
 * unless the class is a bean that is a servlet, filter or listener, whose targets it keeps from the
 * deployment on (with {@code fish.payara.ear-combined-cdi-deployment}, see {@code jvm.options}).
 * It is never registered as a listener. Payara also reflects over every field and method the class
 * declares each time it makes one: what does not need to be here lives in {@link Lingering} and
 * {@link UpgradeThread}.
 *
 * <p>Longer than most classes: it wraps the servlet container's connection and both of its streams,
 * and each delegating method must be there for the wrapper to be transparent.
 */
@Dependent
public final class LingeringUpgrade implements HttpUpgradeHandler, ServletRequestListener {

    /**
     * A cap on the frames of a connection's input. Tyrus buffers a frame whole before it looks at it,
     * up to its input buffer (4 MiB), and answers a larger one with a logged stack trace and 1011,
     * again for every read that follows; a capped frame never reaches it.
     */
    interface FrameCap {

        /**
         * From now on a frame whose payload is over {@code maxPayload} bytes is not handed on, nor
         * anything after it: {@code onOversized} runs once, on the thread reading, when its header
         * has been read. The client's close frame is still noticed.
         */
        void cap(long maxPayload, Runnable onOversized);
    }

    /**
     * Tyrus's upgrade handler. It is handed the client's frames unmasked ({@link FrameScanner}): it
     * unmasks a byte at a time, skips that for a frame whose mask bit is clear, and checks nothing
     * else about masks. And its connections' text frames may be written past it ({@link UpgradeThread#opening()}):
     * it writes each frame whole, in one write, to the stream this wraps, and asks for that stream's
     * write listener only there. Any other handler gets the bytes as they came, and writes its own.
     */
    static final String TYRUS = "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler";

    private volatile HttpUpgradeHandler delegate;
    private ScheduledExecutorService timer;
    private boolean tyrus;
    /** The connection as the implementation was given it, once {@link #init} has run. */
    private volatile Lingering lingering;

    /** Called by the request that created this handler, before the container calls {@link #init}. */
    void delegateTo(HttpUpgradeHandler handler, ScheduledExecutorService lingerTimer) {
        this.delegate = handler;
        this.timer = lingerTimer;
        this.tyrus = handler.getClass().getName().equals(TYRUS);
    }

    @Override
    public void init(WebConnection connection) {
        Lingering lingering = new Lingering(connection);
        this.lingering = lingering;
        if (!tyrus) {
            delegate.init(lingering);
            return;
        }
        // Tyrus opens the endpoint inside its init: the endpoint finds its connection's frames there.
        UpgradeThread.opening(delegate, lingering, lingering.textFrames(), lingering);
    }

    @Override
    public void destroy() {
        HttpUpgradeHandler implementation = delegate;
        Lingering given = lingering;
        if (implementation != null) {
            implementation.destroy();
        }
        if (given != null) {
            // The container is done with the connection: nothing more is written, and a waiting frame is let go.
            given.shutOutput();
            given.onOversized = null;
        }
        // Payara keeps this handler in the recycled request it last served, for as long as that request
        // waits for its next upgrade: nothing of the connection stays reachable through it.
        delegate = null;
        lingering = null;
    }

    private final class Lingering implements WebConnection, FrameCap {

        /** The longest the connection outlives the server's close frame when the client does not answer it. */
        static final long LINGER_MILLIS = 5000;
        private static final Logger LOG = Logger.getLogger(LingeringUpgrade.class.getName());
        private static final int OPEN = 0;
        private static final int LINGERING = 1;
        private static final int CLOSED = 2;

        private final WebConnection connection;
        private final FrameScanner scanner = new FrameScanner(tyrus);
        private final AtomicInteger state = new AtomicInteger(OPEN);
        /** The client's input ended or failed: nothing more will be read. */
        private volatile boolean inputOver;
        /** The client's close frame was read during a delivery: the connection ends when it returns. */
        private volatile boolean endWhenDelivered;
        private ServletInputStream input;
        private GatedOutput output;
        /** Guarded by this: the output was shut, perhaps before anyone asked for it. */
        private boolean outputShut;
        /**
         * The lingering close's timeout, cancelled when the connection ends sooner: a pending one keeps
         * this connection, with the container's objects behind it, reachable for its whole delay.
         */
        private volatile ScheduledFuture<?> timeout;
        /**
         * What runs when a frame over the cap begins; see {@link #cap}. It holds the endpoint: let go
         * when the connection ends, as the container may keep this connection's objects for longer.
         */
        private volatile Runnable onOversized;

        Lingering(WebConnection connection) {
            this.connection = connection;
        }

        @Override
        public void cap(long maxPayload, Runnable onOversized) {
            this.onOversized = onOversized;
            scanner.cap(maxPayload);
        }

        private void oversized() {
            Runnable told = onOversized;
            if (told != null) {
                told.run();
            }
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (input == null) {
                input = new Scanned(connection.getInputStream(), scanner, this::clientClosed, this::inputOver, this::oversized,
                        this::delivered);
            }
            return input;
        }

        @Override
        public synchronized ServletOutputStream getOutputStream() throws IOException {
            if (output == null) {
                output = new GatedOutput(connection.getOutputStream());
                if (outputShut) {
                    output.shut();
                }
            }
            return output;
        }

        /** The output, for text frames written past the implementation; null when the container has none to give. */
        TextFrames textFrames() {
            try {
                return (GatedOutput) getOutputStream();
            } catch (IOException | RuntimeException none) {
                LOG.log(Level.FINE, "No output stream; text frames go through the implementation", none);
                return null;
            }
        }

        @Override
        public void close() {
            // The first close before the client's close frame is the server's own: its close frame is
            // on its way, and reading goes on. A later one ends the connection only once the client
            // has nothing more to send (its close frame came, its input ended or failed); else the
            // client's close frame, the end of its input or the timeout will.
            if (scanner.closeRead() || inputOver) {
                end();
                return;
            }
            if (!state.compareAndSet(OPEN, LINGERING)) {
                return;
            }
            try {
                timeout = timer.schedule(this::end, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                end();
                return;
            }
            if (state.get() == CLOSED) {
                // It ended while the timeout was being set: nothing will cancel it but this.
                timeout.cancel(false);
            }
        }

        /** The client's input ended or failed: a lingering connection has nothing more to wait for. */
        private void inputOver() {
            inputOver = true;
            clientClosed();
        }

        /** The client's close frame has been read whole: a lingering connection has nothing more to wait for. */
        private void clientClosed() {
            if (state.get() != LINGERING) {
                return;
            }
            if (UpgradeThread.reading()) {
                // Inside the implementation's read: the connection ends as soon as it returns, on this
                // thread, before the container reads on. A client that closes its socket right after
                // its close frame would otherwise have the container find the socket gone first, and
                // the close that ends the connection fail on it with an exception (a stack trace
                // filled in per connection).
                endWhenDelivered = true;
                return;
            }
            try {
                timer.execute(this::end);
            } catch (RejectedExecutionException stopping) {
                end();
            }
        }

        /** A delivery of the client's input to the implementation returned. */
        private void delivered() {
            if (endWhenDelivered) {
                endWhenDelivered = false;
                end();
            }
        }

        private void end() {
            onOversized = null;
            if (state.getAndSet(CLOSED) != CLOSED) {
                ScheduledFuture<?> pending = timeout;
                if (pending != null) {
                    pending.cancel(false);
                }
                shutOutput();
                try {
                    connection.close();
                } catch (Exception e) {
                    LOG.log(Level.FINE, "Close failed; the connection is already gone", e);
                }
            }
        }

        private void shutOutput() {
            GatedOutput given;
            synchronized (this) {
                outputShut = true;
                given = output;
            }
            // Outside this lock: shutting waits for a write the container still has.
            if (given != null) {
                given.shut();
            }
        }
    }

    /**
     * The client's bytes, followed frame by frame to notice its close frame, and passed on unmasked
     * or unchanged.
     */
    private static final class Scanned extends ServletInputStream {

        private final ServletInputStream in;
        private final FrameScanner scanner;
        private final Runnable onCloseRead;
        private final Runnable onInputOver;
        private final Runnable onOversized;
        private final Runnable onDelivered;

        Scanned(ServletInputStream in, FrameScanner scanner, Runnable onCloseRead, Runnable onInputOver, Runnable onOversized,
                Runnable onDelivered) {
            this.in = in;
            this.scanner = scanner;
            this.onCloseRead = onCloseRead;
            this.onInputOver = onInputOver;
            this.onOversized = onOversized;
            this.onDelivered = onDelivered;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            while (true) {
                int b;
                try {
                    b = in.read();
                } catch (IOException failed) {
                    onInputOver.run();
                    throw failed;
                }
                if (b < 0) {
                    onInputOver.run();
                    return b;
                }
                one[0] = (byte) b;
                // A byte of a masking key is dropped: the next one is what this read returns.
                if (scanned(one, 0, 1) == 1) {
                    return one[0] & 0xff;
                }
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                int n;
                try {
                    n = in.read(buffer, offset, length);
                } catch (IOException failed) {
                    onInputOver.run();
                    throw failed;
                }
                if (n < 0) {
                    onInputOver.run();
                }
                if (n <= 0) {
                    return n;
                }
                int kept = scanned(buffer, offset, n);
                // A read that held only masking keys hands on nothing: read on while more is there.
                if (kept > 0 || !in.isReady()) {
                    return kept;
                }
            }
        }

        /** Follows (and perhaps unmasks) {@code length} bytes just read; how many of them to hand on. */
        private int scanned(byte[] buffer, int offset, int length) {
            boolean closeReadBefore = scanner.closeRead();
            boolean oversizedBefore = scanner.oversized();
            int kept = scanner.scan(buffer, offset, length);
            if (!oversizedBefore && scanner.oversized()) {
                onOversized.run();
            }
            if (!closeReadBefore && scanner.closeRead()) {
                onCloseRead.run();
            }
            return kept;
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            return read(buffer, 0, buffer.length);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        /**
         * Asked once the reader has taken what it read: when nothing more is buffered, the frames its
         * delivery relayed go out first ({@link GatedOutput#flushHeldSoFar}). Asking the container
         * whether more input is ready, when none is, wakes its selector thread to watch the socket,
         * and on a busy core that thread runs before the delivery's own writes would.
         */
        @Override
        public boolean isReady() {
            if (nothingBuffered()) {
                GatedOutput.flushHeldSoFar();
            }
            return in.isReady();
        }

        private boolean nothingBuffered() {
            try {
                return in.available() <= 0;
            } catch (IOException failed) {
                return true;
            }
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    try {
                        UpgradeThread.delivering(listener::onDataAvailable);
                    } finally {
                        onDelivered.run();
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    onInputOver.run();
                    try {
                        UpgradeThread.delivering(listener::onAllDataRead);
                    } finally {
                        onDelivered.run();
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    onInputOver.run();
                    try {
                        UpgradeThread.delivering(() -> listener.onError(failure));
                    } finally {
                        onDelivered.run();
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
