package dev.rendezvous.signaling;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.websocket.SendResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text frames written past the WebSocket implementation: whole, in order with the implementation's
 * own frames, never after its close frame, and through the container's one write listener, shared.
 * The container stands in for a servlet container's non-blocking output stream.
 */
class GatedOutputTest {

    private final Socket socket = new Socket();
    private final GatedOutput output = new GatedOutput(socket);
    private final List<SendResult> results = new ArrayList<>();

    private static byte[] frame(byte[] header, byte[] payload) {
        byte[] frame = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, frame, header.length, payload.length);
        return frame;
    }

    @Test
    void aTextFrameGoesOutWholeAndFlushedWhenTheSocketIsReady() {
        output.writeText("hi", results::add);
        assertArrayEquals(new byte[] {(byte) 0x81, 2, 'h', 'i'}, socket.wire.toByteArray());
        assertEquals(1, socket.flushes);
        assertEquals(1, results.size());
        assertTrue(results.get(0).isOK());
    }

    @Test
    void aFrameIsOneWriteAfterTheStreamSaidItIsReady() {
        socket.oneWritePerReady = true;
        output.writeText("x".repeat(3000), results::add);
        output.writeText("y", results::add);
        assertTrue(results.get(0).isOK());
        assertTrue(results.get(1).isOK());
        assertEquals(4 + 3000 + 2 + 1, socket.wire.size());
    }

    @Test
    void framesWrittenWhileFlushesAreHeldAreFlushedOncePerOutputAtTheEnd() {
        Socket other = new Socket();
        GatedOutput otherOutput = new GatedOutput(other);
        GatedOutput.holdFlushes();
        try {
            output.writeText("a", results::add);
            output.writeText("b", results::add);
            otherOutput.writeText("c", results::add);
            assertEquals(3, results.size(), "each told as soon as the container has it");
            assertTrue(results.stream().allMatch(SendResult::isOK));
            assertEquals(0, socket.flushes + other.flushes, "nothing flushed yet");
        } finally {
            GatedOutput.flushHeld();
        }
        assertArrayEquals(new byte[] {(byte) 0x81, 1, 'a', (byte) 0x81, 1, 'b'}, socket.wire.toByteArray());
        assertEquals(1, socket.flushes);
        assertEquals(1, other.flushes);
        output.writeText("d", results::add);
        assertEquals(2, socket.flushes, "held no more: flushed at once");
    }

    @Test
    void aTextSentToSeveralRecipientsInOneDeliveryReachesEachWholeAndTheNextTextIsItsOwn() {
        Socket other = new Socket();
        GatedOutput otherOutput = new GatedOutput(other);
        String offer = "{\"type\":\"offer\",\"sdp\":\"é€\"}";
        GatedOutput.holdFlushes();
        try {
            output.writeText(offer, results::add);
            otherOutput.writeText(offer, results::add);
            otherOutput.writeText(new String(offer), results::add);
            otherOutput.writeText("next", results::add);
        } finally {
            GatedOutput.flushHeld();
        }
        byte[] payload = offer.getBytes(StandardCharsets.UTF_8);
        byte[] one = frame(new byte[] {(byte) 0x81, (byte) payload.length}, payload);
        assertArrayEquals(one, socket.wire.toByteArray());
        byte[] next = frame(new byte[] {(byte) 0x81, 4}, new byte[] {'n', 'e', 'x', 't'});
        assertArrayEquals(frame(frame(one, one), next), other.wire.toByteArray());
    }

    @Test
    void anImplementationsWriteWhoseReadySocketATextFrameTookWaitsAndGoesOutFirstWhenItCan() throws IOException {
        socket.oneWritePerReady = true;
        // The implementation asks, and is told it may write once...
        assertTrue(output.isReady());
        // ...but a text frame of the server's takes that write first, and the socket fills.
        output.writeText("ours", results::add);
        socket.ready = false;
        int flushes = socket.flushes;
        byte[] ping = {(byte) 0x89, 0};
        output.write(ping, 0, ping.length);
        output.flush();
        assertEquals(6, socket.wire.size(), "nothing written to a socket that cannot take it without blocking");
        assertEquals(flushes, socket.flushes);
        socket.ready = true;
        output.writeText("later", results::add);
        assertEquals(6, socket.wire.size(), "nothing overtakes the implementation's waiting bytes");
        socket.listener.onWritePossible();
        byte[] ours = {(byte) 0x81, 4, 'o', 'u', 'r', 's'};
        byte[] later = {(byte) 0x81, 5, 'l', 'a', 't', 'e', 'r'};
        assertArrayEquals(frame(frame(ours, ping), later), socket.wire.toByteArray());
        assertEquals(2, results.size());
        assertTrue(results.stream().allMatch(SendResult::isOK));
    }

    @Test
    void aHeldFlushIsNotMadeOnceTheOutputIsShut() {
        GatedOutput.holdFlushes();
        try {
            output.writeText("a", results::add);
            output.shut();
        } finally {
            GatedOutput.flushHeld();
        }
        assertEquals(0, socket.flushes, "nothing reaches a closed connection's stream");
    }

    @Test
    void headersOfEveryLengthFormAreThoseOfRfc6455() {
        assertArrayEquals(new byte[] {(byte) 0x81, 125}, GatedOutput.textHeader(125));
        assertArrayEquals(new byte[] {(byte) 0x81, 126, 0, 126}, GatedOutput.textHeader(126));
        assertArrayEquals(new byte[] {(byte) 0x81, 126, (byte) 0xff, (byte) 0xff}, GatedOutput.textHeader(65_535));
        assertArrayEquals(new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0}, GatedOutput.textHeader(65_536));
    }

    @Test
    void aFrameThatWaitsForTheSocketGoesOutBeforeTheImplementationsWhenTheSocketIsReady() throws IOException {
        socket.ready = false;
        output.writeText("ours", results::add);
        assertEquals(0, socket.wire.size(), "nothing is written to a socket that is not ready");
        assertTrue(results.isEmpty());
        assertEquals(1, socket.listenersSet);
        // The implementation's writer finds the socket not ready too, and asks for the listener.
        List<String> implementationCalled = new ArrayList<>();
        assertFalse(output.isReady());
        output.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() throws IOException {
                implementationCalled.add("possible");
                byte[] pong = {(byte) 0x8a, 0};
                output.write(pong, 0, pong.length);
                output.flush();
            }

            @Override
            public void onError(Throwable failure) {
                implementationCalled.add("error");
            }
        });
        assertEquals(1, socket.listenersSet, "the container is given one listener, shared");
        socket.ready = true;
        socket.listener.onWritePossible();
        assertArrayEquals(frame(new byte[] {(byte) 0x81, 4, 'o', 'u', 'r', 's'}, new byte[] {(byte) 0x8a, 0}),
                socket.wire.toByteArray());
        assertEquals(List.of("possible"), implementationCalled);
        assertEquals(1, results.size());
        assertTrue(results.get(0).isOK());
    }

    @Test
    void theImplementationAskingFirstForTheListenerStillSharesIt() throws IOException {
        List<String> implementationCalled = new ArrayList<>();
        output.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                implementationCalled.add("possible");
            }

            @Override
            public void onError(Throwable failure) {
                implementationCalled.add("error: " + failure.getMessage());
            }
        });
        socket.ready = false;
        output.writeText("x", results::add);
        assertEquals(1, socket.listenersSet);
        socket.listener.onError(new IOException("reset"));
        assertEquals(List.of("error: reset"), implementationCalled);
        assertEquals(1, results.size());
        assertFalse(results.get(0).isOK(), "the waiting frame fails with the socket");
    }

    @Test
    void noTextFrameFollowsACloseFrameTheImplementationWrote() throws IOException {
        byte[] close = {(byte) 0x88, 2, 0x03, (byte) 0xea};
        output.write(close, 0, 2);
        output.write(close, 2, 2);
        output.writeText("late", results::add);
        assertArrayEquals(close, socket.wire.toByteArray());
        assertEquals(1, results.size());
        assertInstanceOf(IOException.class, results.get(0).getException());
    }

    @Test
    void framesTheImplementationWroteBeforeAreFollowedWhateverTheirPayload() throws IOException {
        // A text frame whose payload looks like a close frame's header is not a close.
        byte[] text = {(byte) 0x81, 3, (byte) 0x88, 0, 0};
        output.write(text, 0, text.length);
        output.writeText("ok", results::add);
        assertTrue(results.get(0).isOK());
    }

    @Test
    void aFrameTheImplementationHasWrittenInPartIsNeverCutInto() throws IOException {
        byte[] text = {(byte) 0x81, 3, 'a', 'b', 'c'};
        output.write(text, 0, 3);
        output.writeText("x", results::add);
        assertFalse(results.get(0).isOK());
        output.write(text, 3, 2);
        assertArrayEquals(text, socket.wire.toByteArray());
        output.writeText("x", results::add);
        assertTrue(results.get(1).isOK());
    }

    @Test
    void aWaitingFrameFailsWhenTheOutputIsShutAndNothingReachesTheSocket() throws IOException {
        socket.ready = false;
        output.writeText("x", results::add);
        output.shut();
        assertEquals(1, results.size());
        assertFalse(results.get(0).isOK());
        socket.ready = true;
        socket.listener.onWritePossible();
        assertEquals(0, socket.wire.size());
        output.writeText("y", results::add);
        assertEquals(0, socket.wire.size());
        assertFalse(results.get(1).isOK());
    }

    @Test
    void aWaitingFrameFailsWhenTheStreamIsClosed() {
        socket.ready = false;
        output.writeText("x", results::add);
        output.close();
        assertEquals(1, results.size());
        assertFalse(results.get(0).isOK());
    }

    @Test
    void aSocketThatFailsTheWriteFailsTheFrame() {
        socket.failWrites = true;
        output.writeText("x", results::add);
        assertEquals(1, results.size());
        assertInstanceOf(IOException.class, results.get(0).getException());
        assertNull(socket.listener);
    }

    /** A servlet container's non-blocking output stream of one upgraded connection. */
    private static final class Socket extends ServletOutputStream {

        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int flushes;
        boolean ready = true;
        boolean failWrites;
        /** As Grizzly: a stream that said it is ready takes one write without blocking, not two. */
        boolean oneWritePerReady;
        int writesSinceReady;
        WriteListener listener;
        int listenersSet;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (failWrites) {
                throw new IOException("Broken pipe");
            }
            if (!ready) {
                throw new IllegalStateException("Written while not ready");
            }
            if (++writesSinceReady > 1 && oneWritePerReady) {
                throw new IllegalStateException("A second write after isReady: Grizzly blocks it until the socket drains");
            }
            wire.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public boolean isReady() {
            writesSinceReady = 0;
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            if (this.listener != null) {
                throw new IllegalStateException("A write listener is already set");
            }
            this.listener = listener;
            listenersSet++;
        }
    }
}
