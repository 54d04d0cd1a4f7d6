package dev.rendezvous.signaling;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

/**
 * What the current thread is doing with an upgraded connection, for the code it calls into:
 * delivering the client's input to the WebSocket implementation ({@link #reading()}), or opening the
 * connection, whose endpoint finds the connection's text frames and input here ({@link #opening()},
 * {@link #openingInput()}). {@link LingeringUpgrade} sets the marks.
 *
 * <p>Apart from that class because Payara reflects over every field and method an upgrade handler
 * class declares, static ones too, each time it makes one (once per connection, looking for
 * resource injections): what the handler declares is copied per connection.
 */
final class UpgradeThread {

    /** How many deliveries of a client's input are under way on this thread (nested only if a container nests them). */
    private static final ThreadLocal<int[]> READS = ThreadLocal.withInitial(() -> new int[1]);
    /** The text frames of the connection Tyrus is opening on this thread ({@link #opening()}). */
    private static final ThreadLocal<TextFrames> OPENING = new ThreadLocal<>();
    /** The input of the connection Tyrus is opening on this thread ({@link #openingInput()}). */
    private static final ThreadLocal<LingeringUpgrade.FrameCap> OPENING_INPUT = new ThreadLocal<>();

    private UpgradeThread() {
    }

    /**
     * Whether this thread is delivering an upgraded connection's input to the WebSocket
     * implementation (its read listener is running): every frame, and the close that ends the input.
     */
    static boolean reading() {
        return READS.get()[0] > 0;
    }

    /**
     * Runs one call into the implementation's read listener with this thread marked as
     * {@link #reading()}, and the text frames it writes flushed together when the call returns
     * ({@link GatedOutput#holdFlushes}).
     */
    static <E extends Exception> void delivering(Call<E> delivery) throws E {
        int[] reads = READS.get();
        if (reads[0]++ == 0) {
            GatedOutput.holdFlushes();
        }
        try {
            delivery.run();
        } finally {
            if (--reads[0] == 0) {
                GatedOutput.flushHeld();
            }
        }
    }

    /**
     * Has {@code implementation} open {@code connection} (Tyrus opens the endpoint inside its
     * {@code init}) with {@code frames} and {@code input} to be found by {@link #opening()} and
     * {@link #openingInput()}.
     */
    static void opening(HttpUpgradeHandler implementation, WebConnection connection, TextFrames frames,
            LingeringUpgrade.FrameCap input) {
        OPENING.set(frames);
        OPENING_INPUT.set(input);
        try {
            implementation.init(connection);
        } finally {
            OPENING.remove();
            OPENING_INPUT.remove();
        }
    }

    /**
     * Where the connection being opened on this thread can have its text frames written past the
     * implementation ({@link GatedOutput}): only Tyrus's connections, asked from the endpoint's
     * {@code onOpen}; null anywhere else.
     */
    static TextFrames opening() {
        return OPENING.get();
    }

    /**
     * The input of the connection being opened on this thread, for its endpoint to
     * {@link LingeringUpgrade.FrameCap cap}: only Tyrus's connections, asked from the endpoint's
     * {@code onOpen}; null anywhere else.
     */
    static LingeringUpgrade.FrameCap openingInput() {
        return OPENING_INPUT.get();
    }

    /** A call into the implementation's read listener. */
    interface Call<E extends Exception> {
        void run() throws E;
    }
}
