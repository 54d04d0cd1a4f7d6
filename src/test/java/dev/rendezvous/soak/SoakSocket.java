package dev.rendezvous.soak;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * One WebSocket of a {@link SoakClient}: every complete text frame, and the close, land in a queue
 * with their arrival time. Frames are asked for one at a time ({@code request(1)}) and right away,
 * so the server never waits for the test to read. Once abandoned, nothing more is queued: what
 * the queue holds then is exactly what the client received on this socket.
 */
final class SoakSocket implements WebSocket.Listener {

    /** A text frame ({@code closed == 0}), the server's close ({@code closed} = its code), or a failure ({@code -1}). */
    record Frame(String text, int closed, long at) {
    }

    final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    volatile WebSocket ws;
    private final StringBuilder partial = new StringBuilder();
    /** Guarded by {@code this}. */
    private boolean abandoned;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            queue(new Frame(partial.toString(), 0, System.nanoTime()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        queue(new Frame(reason, statusCode, System.nanoTime()));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        queue(new Frame(String.valueOf(error), -1, System.nanoTime()));
    }

    private synchronized void queue(Frame frame) {
        if (!abandoned) {
            frames.add(frame);
        }
    }

    /** Drops the connection without a close frame, as a lost network does; nothing more is queued. */
    void abandon() {
        synchronized (this) {
            abandoned = true;
        }
        ws.abort();
    }

    /** The next frame; fails with {@code who} in the message if none arrives within {@code wait}. */
    Frame next(Duration wait, String who) {
        try {
            Frame frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(frame, () -> who + ": nothing arrived within " + wait);
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(who + ": interrupted while waiting", e);
        }
    }
}
