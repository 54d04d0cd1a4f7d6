package dev.rendezvous.signaling;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container's output stream of one upgraded connection, shut to writes for good before that
 * connection is closed: on Payara a byte written after the close goes out on another socket.
 *
 * <p>Payara gives the upgrade handler the upgrade request's own response stream
 * ({@code StandardPipeline.invoke} builds the {@code WebConnectionImpl} from
 * {@code Response.getOutputStream()}), and closing the connection recycles that response, stream
 * and all, for the next request ({@code WebConnectionImpl.close} → {@code Request.resumeAfterService}
 * → Grizzly's {@code HttpServerFilter.afterService} → {@code CoyoteAdapter.CatalinaAfterServiceListener}
 * → {@code Response.recycle}, which keeps its {@code CoyoteOutputStream}), as soon as the upgrade
 * request's service thread has left it ({@code Request.resumeAfterService}). Tyrus fetches that
 * stream once and keeps writing to it ({@code TyrusServletWriter.write}) from whichever thread
 * sends, and nothing on a frame's way there ({@code ProtocolHandler.write}) looks again at whether
 * the connection closed meanwhile; a frame that races the close therefore reaches whichever socket
 * that response serves next, ahead of the {@code 101} that socket's own upgrade has not flushed yet.
 *
 * <p>A write holds this stream's lock while the container has it, and {@link #shut} takes the same
 * lock: once {@code shut} has returned no write is under way and none will reach the container;
 * later ones fail as writes to a closed socket do.
 *
 * <p>It also writes text frames of the server's own past the WebSocket implementation
 * ({@link TextFrames}), in between the implementation's frames and never after its close frame: it
 * follows every frame written ({@link FrameScanner}), and shares the container's one write listener
 * with the implementation's writer, so that a frame that waits for the socket goes out when the
 * implementation's would. It never calls the implementation while holding its lock (the
 * implementation's writer holds its own while it writes here). Nor does it let the implementation's
 * write block on a slow reader because a text frame took the one write its {@code isReady()}
 * promised: such bytes wait here, in order, and go out first when the container can take them.
 *
 * <p>Text frames a thread writes while it delivers a client's input are flushed together once the
 * input it read is used up ({@link #holdFlushes}): every frame one read brought, relayed to the same
 * recipient, reaches that recipient's socket in one write, where a write per frame was most of the
 * server's system time.
 *
 * <p>Longer than most classes: the gate, the frames past the implementation and the shared listener
 * are one lock's business.
 */
final class GatedOutput extends ServletOutputStream implements TextFrames {

    private static final int FIN_TEXT = 0x81;
    private static final Logger LOG = Logger.getLogger(GatedOutput.class.getName());
    /** Per thread, while it holds flushes ({@link #holdFlushes}); null on a thread that does not hold them. */
    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    private final ServletOutputStream out;
    /** Set under this stream's lock; read without it only where a stale answer is harmless. */
    private volatile boolean shut;
    /** Every byte written, followed frame by frame: whether a close frame has gone out. Guarded by this. */
    private final FrameScanner written = new FrameScanner(false);
    /** The implementation's write listener, once it has set one. Guarded by this. */
    private WriteListener implementation;
    /** Whether the container has this stream's shared listener. Guarded by this. */
    private boolean listening;
    /** A text frame of {@link #writeText} waiting for the socket, and whom to tell. Guarded by this. */
    private byte[] waitingFrame;
    private SendHandler waitingHandler;
    /** Text frames written and not yet flushed, by a thread that holds flushes. Guarded by this. */
    private boolean unflushed;
    /**
     * The implementation's bytes that came when the container could not take them without blocking,
     * in order, or null. They go out, flushed, before anything else when it can. Guarded by this.
     */
    private ByteArrayOutputStream theirsWaiting;

    GatedOutput(ServletOutputStream out) {
        this.out = out;
    }

    /**
     * From now on nothing reaches the container; waits for a write the container still has. A text
     * frame still waiting for the socket fails.
     */
    void shut() {
        SendHandler dropped;
        synchronized (this) {
            shut = true;
            theirsWaiting = null;
            dropped = takeWaiting();
        }
        if (dropped != null) {
            dropped.onResult(new SendResult(new IOException("The connection is closed")));
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * The implementation's write. It asked {@link #isReady} first, but a text frame of the server's
     * may have taken the one write that answer promised since (Grizzly promises one), and a write
     * without the promise can block in its flush until a slow reader drains the socket. So the
     * container is asked again here; when it cannot take the bytes they wait, in order, and go out
     * (flushed) as soon as it can ({@link Shared}), ahead of anything written after them.
     */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        boolean install = false;
        synchronized (this) {
            ServletOutputStream open = open();
            if (theirsWaiting == null && open.isReady()) {
                open.write(bytes, offset, length);
            } else {
                if (theirsWaiting == null) {
                    theirsWaiting = new ByteArrayOutputStream();
                }
                theirsWaiting.write(bytes, offset, length);
                install = !listening;
                listening = true;
            }
            written.scan(bytes, offset, length);
        }
        if (install) {
            out.setWriteListener(new Shared());
        }
    }

    /** The implementation's flush: none while its bytes wait, which are flushed when they go out. */
    @Override
    public synchronized void flush() throws IOException {
        ServletOutputStream open = open();
        if (theirsWaiting == null) {
            open.flush();
        }
    }

    @Override
    public boolean isReady() {
        // Shut: ready, so that a write fails now instead of waiting for a call that will not come.
        return shut || out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        boolean install;
        synchronized (this) {
            implementation = listener;
            install = !listening;
            listening = true;
        }
        // Outside this lock: the container may call the listener at once, and it writes through this lock.
        if (install) {
            out.setWriteListener(new Shared());
        }
    }

    @Override
    public void close() {
        // The container closes its own stream when the connection closes.
        shut();
    }

    /**
     * Writes one final text frame carrying {@code text} now, or as soon as the socket takes it;
     * {@code done} is told once it is with the container, or failed. One frame at a time: the caller
     * waits for {@code done} before the next.
     */
    @Override
    public void writeText(String text, SendHandler done) {
        Held held = HELD.get();
        byte[] frame = held != null ? held.frameOf(text) : textFrame(text);
        SendResult result = null;
        boolean install = false;
        synchronized (this) {
            if (waitingHandler != null) {
                throw new IllegalStateException("A text frame is already waiting for the socket");
            }
            if (shut || written.closeSeen()) {
                result = new SendResult(new IOException("The connection is closed"));
            } else if (!written.betweenFrames()) {
                // The implementation writes each frame whole; should one ever come in parts, this fails cleanly.
                result = new SendResult(new IOException("The implementation's frame is not written whole"));
            } else if (theirsWaiting == null && out.isReady()) {
                result = writeNow(frame, held == null);
                if (held != null && result.isOK() && !unflushed) {
                    unflushed = true;
                    held.outputs.add(this);
                }
            } else {
                waitingFrame = frame;
                waitingHandler = done;
                install = !listening;
                listening = true;
            }
        }
        if (install) {
            out.setWriteListener(new Shared());
        }
        tell(done, result);
    }

    @Override
    public synchronized void abandon() {
        takeWaiting();
    }

    /**
     * Holding this lock: the frame written and flushed, and how that went. One write, as the
     * implementation's writer makes: a ready stream promises one write that does not block (Grizzly
     * blocks a second one until the socket drains).
     */
    private SendResult writeNow(byte[] frame, boolean flush) {
        try {
            out.write(frame, 0, frame.length);
            written.scan(frame, 0, frame.length);
            if (flush) {
                out.flush();
            }
            return new SendResult();
        } catch (IOException | RuntimeException failed) {
            return new SendResult(failed);
        }
    }

    /**
     * From now until {@link #flushHeld}, text frames this thread writes are flushed once each, at
     * the end or at a {@link #flushHeldSoFar}, not one by one: the thread is delivering a client's
     * input, and every frame a read brought may be relayed to the same recipients. A recipient then
     * gets them in one write to its socket. Each frame's handler is still told as soon as the container has it. Meanwhile a text
     * sent to several recipients (the same {@code String}) is encoded once, its frame shared. Not nested.
     */
    static void holdFlushes() {
        HELD.set(new Held());
    }

    /** Flushes every output this thread wrote to since {@link #holdFlushes}, and holds flushes no more. */
    static void flushHeld() {
        Held held = HELD.get();
        HELD.remove();
        if (held != null) {
            held.flush();
        }
    }

    /**
     * Flushes every output this thread wrote to since {@link #holdFlushes} or the last call, and
     * goes on holding: the delivery has read all its input so far and is about to ask for more.
     * Nothing on a thread that does not hold flushes.
     */
    static void flushHeldSoFar() {
        Held held = HELD.get();
        if (held != null) {
            held.flush();
        }
    }

    /**
     * What one thread's delivery of a client's input holds: the outputs it wrote to and has not
     * flushed, and the last frame it encoded, for the next recipient of the same text. Nothing here
     * outlives the delivery.
     */
    private static final class Held {

        final ArrayList<GatedOutput> outputs = new ArrayList<>(4);
        private String lastText;
        private byte[] lastFrame;

        /** Flushes the outputs written to since the last flush, and forgets them. */
        void flush() {
            for (int i = 0; i < outputs.size(); i++) {
                outputs.get(i).flushUnflushed();
            }
            outputs.clear();
        }

        /** The frame carrying {@code text}: the last one again when it is the same text (frames are never written to). */
        byte[] frameOf(String text) {
            if (text != lastText) {
                lastFrame = textFrame(text);
                lastText = text;
            }
            return lastFrame;
        }
    }

    /**
     * Does not block on a slow reader: every write here follows an {@code isReady()} that said yes,
     * and Grizzly blocks a flush only when the last write did not ({@code blockAfterWriteIfNeeded}).
     */
    private synchronized void flushUnflushed() {
        if (!unflushed) {
            return;
        }
        unflushed = false;
        if (shut) {
            // What the container still buffers goes out with its own close, or not at all.
            return;
        }
        try {
            out.flush();
        } catch (IOException | RuntimeException failed) {
            // The socket is failing: the implementation's reading or next write will end the connection.
            LOG.log(Level.FINE, "Flush failed", failed);
        }
    }

    /** Holding this lock: the waiting frame's handler, the frame forgotten; null if none waits. */
    private SendHandler takeWaiting() {
        SendHandler handler = waitingHandler;
        waitingFrame = null;
        waitingHandler = null;
        return handler;
    }

    private static void tell(SendHandler handler, SendResult result) {
        if (handler != null && result != null) {
            handler.onResult(result);
        }
    }

    /** A final, unmasked text frame carrying {@code text}, encoded as UTF-8: header and payload in one array, for one write. */
    static byte[] textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] header = textHeader(payload.length);
        byte[] frame = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, frame, header.length, payload.length);
        return frame;
    }

    /** A final text frame's header for a payload of {@code length} bytes, unmasked as a server's frames are. */
    static byte[] textHeader(int length) {
        if (length < 126) {
            return new byte[] {(byte) FIN_TEXT, (byte) length};
        }
        if (length <= 0xffff) {
            return new byte[] {(byte) FIN_TEXT, 126, (byte) (length >>> 8), (byte) length};
        }
        byte[] header = new byte[10];
        header[0] = (byte) FIN_TEXT;
        header[1] = 127;
        for (int i = 0; i < 8; i++) {
            header[9 - i] = (byte) ((long) length >>> (8 * i));
        }
        return header;
    }

    private ServletOutputStream open() throws IOException {
        if (shut) {
            throw new IOException("The connection is closed");
        }
        return out;
    }

    /**
     * Holding this lock: the implementation's waiting bytes written and flushed if the container can
     * take them now; whether none wait any more. Bytes the socket refuses are dropped: the connection
     * is failing, and its reading or next write ends it.
     */
    private boolean writeTheirs() {
        // A shut output has none waiting.
        if (theirsWaiting == null) {
            return true;
        }
        if (!out.isReady()) {
            return false;
        }
        byte[] bytes = theirsWaiting.toByteArray();
        theirsWaiting = null;
        try {
            out.write(bytes, 0, bytes.length);
            out.flush();
        } catch (IOException | RuntimeException failed) {
            LOG.log(Level.FINE, "The implementation's waiting bytes could not be written", failed);
        }
        return true;
    }

    /**
     * The container's one write listener, shared: the implementation's waiting bytes first, then the
     * waiting text frame, then the implementation's listener.
     */
    private final class Shared implements WriteListener {

        @Override
        public void onWritePossible() throws IOException {
            SendHandler done = null;
            SendResult result = null;
            WriteListener theirs;
            synchronized (GatedOutput.this) {
                // The implementation's waiting bytes first; while they still wait, the container calls again.
                boolean theirsGone = writeTheirs();
                if (waitingHandler != null && (shut || written.closeSeen() || !written.betweenFrames())) {
                    result = new SendResult(new IOException("The connection is closed"));
                    done = takeWaiting();
                } else if (waitingHandler != null && theirsGone && out.isReady()) {
                    result = writeNow(waitingFrame, true);
                    done = takeWaiting();
                }
                theirs = implementation;
            }
            tell(done, result);
            if (theirs != null) {
                theirs.onWritePossible();
            }
        }

        @Override
        public void onError(Throwable failure) {
            SendHandler done;
            WriteListener theirs;
            synchronized (GatedOutput.this) {
                done = takeWaiting();
                theirs = implementation;
            }
            tell(done, new SendResult(failure));
            if (theirs != null) {
                theirs.onError(failure);
            }
        }
    }
}
