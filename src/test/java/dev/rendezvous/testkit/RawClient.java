package dev.rendezvous.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client on a bare socket, for what a well-behaved client library will not do: pick its
 * source address, send any Origin, read nothing, never answer a ping (a host that vanished), or send
 * frames no library would (fragments, bytes that are not UTF-8) and go on sending while being closed.
 */
public final class RawClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String head;
    /** Ping frames read so far (never answered). */
    private int pings;

    private RawClient(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.head = head;
    }

    /**
     * Opens {@code path} on the test server with the WebSocket handshake.
     *
     * @param origin        the Origin header, or null for none
     * @param from          the local address to connect from (any 127.x.y.z works on loopback), or null
     * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the default
     */
    public static RawClient open(String path, String origin, InetAddress from, int receiveBuffer) throws IOException {
        return open(Integer.getInteger("it.http.port"), path, origin, from, receiveBuffer);
    }

    /** Opens {@code path} on the server at 127.0.0.1:{@code port}, as {@link #open(String, String, InetAddress, int)}. */
    public static RawClient open(int port, String path, String origin, InetAddress from, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        // Frames go out as written: no waiting for an acknowledgement before a small second write.
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return new RawClient(socket, readHead(socket));
    }

    private static String readHead(Socket socket) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = socket.getInputStream().read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The handshake's HTTP status: 101 when the socket was opened. */
    public int status() {
        return Integer.parseInt(head.split(" ", 3)[1]);
    }

    /** Every byte the server sent up to the end of the handshake response, one char per byte. */
    public String head() {
        return head;
    }

    /** How many ping frames the server has sent that this client has read so far (it answers none). */
    public int pingsRead() {
        return pings;
    }

    /** The next text message, never answering pings; fails on a close or after {@code wait}. */
    public JsonObject next(Duration wait) throws IOException {
        Frame frame = nextDataOrClose(wait);
        while (frame.opcode == 2) {
            frame = nextDataOrClose(wait);
        }
        if (frame.opcode != 1) {
            throw new AssertionError("expected a text message, got a close " + closeCode(frame));
        }
        return Json.createReader(new StringReader(new String(frame.payload, StandardCharsets.UTF_8))).readObject();
    }

    /** Reads (and drops) messages until the server's close frame: its code, or -1 if the connection just ended. */
    public int awaitClose(Duration wait) throws IOException {
        return awaitClose(wait, new ArrayList<>());
    }

    /** Reads messages into {@code messages} until the server's close frame: its code, or -1 if the connection just ended. */
    public int awaitClose(Duration wait, List<JsonObject> messages) throws IOException {
        try {
            Frame frame;
            while ((frame = nextDataOrClose(wait)).opcode != 8) {
                if (frame.opcode == 1) {
                    messages.add(Json.createReader(new StringReader(frame.text())).readObject());
                }
            }
            return closeCode(frame);
        } catch (EOFException | java.net.SocketException ended) {
            return -1;
        }
    }

    /** How the server ended the TCP connection within {@code wait}, reading (and dropping) whatever comes first. */
    public String awaitEnd(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            while (in.read(new byte[4096]) >= 0) {
                // dropped: only the end matters
            }
            return "closed";
        } catch (SocketTimeoutException open) {
            return "still open after " + wait;
        } catch (java.net.SocketException reset) {
            return "reset (" + reset.getMessage() + ")";
        }
    }

    private static int closeCode(Frame close) {
        return close.payload.length >= 2 ? ((close.payload[0] & 0xff) << 8) | (close.payload[1] & 0xff) : 1005;
    }

    /** A frame as received: opcode 1 text, 2 binary, 8 close. */
    public record Frame(int opcode, byte[] payload) {

        public boolean isClose() {
            return opcode == 8;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return RawClient.closeCode(this);
        }
    }

    /** The next text, binary or close frame (pings and pongs skipped); fails after {@code wait}. */
    public Frame nextFrame(Duration wait) throws IOException {
        return nextDataOrClose(wait);
    }

    private Frame nextDataOrClose(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            while (true) {
                int first = in.readUnsignedByte();
                int opcode = first & 0x0f;
                long length = in.readUnsignedByte() & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                if (opcode == 1 || opcode == 2 || opcode == 8) {
                    return new Frame(opcode, payload);
                }
                if (opcode == 9) {
                    pings++;
                }
            }
        } catch (SocketTimeoutException timeout) {
            throw new AssertionError("nothing within " + wait, timeout);
        }
    }

    /** Sends one masked text frame, as clients must. */
    public void send(String text) throws IOException {
        sendFrame(true, 1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a close frame with {@code code}. */
    public void sendClose(int code) throws IOException {
        sendFrame(true, 8, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** Sends one masked frame whose first byte (FIN bit and opcode) is {@code head}. */
    public void sendFrame(int head, byte[] payload) throws IOException {
        sendFrame((head & 0x80) != 0, head & 0x0f, payload);
    }

    /**
     * Sends one masked frame of any opcode (0 continuation, 1 text, 2 binary, 8 close), final or
     * not, so fragments and bytes that are not UTF-8 go out as given. Safe from several threads.
     */
    public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        sendBytes(frame(fin, opcode, payload, mask));
    }

    /** Writes these bytes in one write: part of a frame, or several frames, as a TCP segment may carry them. */
    public synchronized void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One frame as a client sends it, masked with {@code mask}. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload, byte[] mask) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
