package dev.rendezvous.it.stale;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One round of the scenario, shared by the application's test parts: the victim connection's response
 * and the stream its upgrade handler writes to, the late write into that stream, and the probes held
 * until the victim's response serves one of them.
 */
public final class Stage {

    private static final String ATTRIBUTE = Stage.class.getName();
    private static final Object CREATION = new Object();
    /** Only a safety net: the round releases its held probes as soon as one is served by the victim's response. */
    private static final long HOLD_SECONDS = 30;

    /** How the upgrade handler's output stream is found, once the container has initialised it. */
    public interface Stream {
        ServletOutputStream get() throws IOException;
    }

    private ServletResponse victim;
    private Stream stream;
    private String mark;
    private CountDownLatch release = new CountDownLatch(0);

    static Stage of(ServletContext context) {
        synchronized (CREATION) {
            Object stage = context.getAttribute(ATTRIBUTE);
            if (stage == null) {
                stage = new Stage();
                context.setAttribute(ATTRIBUTE, stage);
            }
            return (Stage) stage;
        }
    }

    /** Starts a round: {@code response} is the victim's, the late write will carry {@code mark}. */
    synchronized void victim(ServletResponse response, Stream victimStream, String roundMark) {
        release.countDown();
        victim = container(response);
        stream = victimStream;
        mark = roundMark;
        release = new CountDownLatch(1);
    }

    /**
     * When the container serves this request with the victim's recycled response: writes the round's
     * mark into the victim's stream from a thread of its own, as a sender racing the close would, and
     * releases the held probes. Returns what became of the write, or null for any other response.
     */
    String lateWriteIfVictim(ServletResponse response) throws InterruptedException {
        Stream victimStream;
        String roundMark;
        CountDownLatch held;
        synchronized (this) {
            if (victim == null || container(response) != victim) {
                return null;
            }
            victim = null;
            victimStream = stream;
            roundMark = mark;
            held = release;
        }
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread writer = new Thread(() -> outcome.set(write(victimStream, roundMark)), "late-writer");
        writer.start();
        writer.join();
        held.countDown();
        return outcome.get();
    }

    /** Keeps this request's worker thread busy until the round's victim response has served a probe. */
    void hold() throws InterruptedException {
        CountDownLatch held;
        synchronized (this) {
            held = release;
        }
        held.await(HOLD_SECONDS, TimeUnit.SECONDS);
    }

    /** "written to S", "refused by S: why", or "failed: why" when the stream could not be found. */
    private static String write(Stream victimStream, String roundMark) {
        ServletOutputStream out;
        try {
            out = victimStream.get();
        } catch (IOException | RuntimeException notFound) {
            return "failed: " + notFound;
        }
        try {
            out.write(roundMark.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return "written to " + out.getClass().getName();
        } catch (IOException refused) {
            return "refused by " + out.getClass().getName() + ": " + refused.getMessage();
        }
    }

    /** The container's own response object under any application wrappers. */
    private static ServletResponse container(ServletResponse response) {
        ServletResponse unwrapped = response;
        while (unwrapped instanceof ServletResponseWrapper wrapper) {
            unwrapped = wrapper.getResponse();
        }
        return unwrapped;
    }
}
