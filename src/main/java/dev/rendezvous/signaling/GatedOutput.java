package dev.rendezvous.signaling;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;

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
 */
final class GatedOutput extends ServletOutputStream {

    private final ServletOutputStream out;
    /** Set under this stream's lock; read without it only where a stale answer is harmless. */
    private volatile boolean shut;

    GatedOutput(ServletOutputStream out) {
        this.out = out;
    }

    /** From now on nothing reaches the container; waits for a write the container still has. */
    synchronized void shut() {
        shut = true;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        open().write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        open().write(bytes, offset, length);
    }

    @Override
    public synchronized void flush() throws IOException {
        open().flush();
    }

    @Override
    public boolean isReady() {
        // Shut: ready, so that a write fails now instead of waiting for a call that will not come.
        return shut || out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        // The container may call the listener at once; what it writes then goes through this stream's lock.
        out.setWriteListener(listener);
    }

    @Override
    public synchronized void close() throws IOException {
        // The container closes its own stream when the connection closes.
        shut = true;
    }

    private ServletOutputStream open() throws IOException {
        if (shut) {
            throw new IOException("The connection is closed");
        }
        return out;
    }
}
