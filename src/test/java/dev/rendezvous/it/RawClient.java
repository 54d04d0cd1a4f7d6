package dev.rendezvous.it;

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
import java.util.Base64;

/**
 * A WebSocket client on a bare socket, for what a well-behaved client library will not do: pick its
 * source address, send any Origin, read nothing, or never answer a ping (a host that vanished).
 */
final class RawClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;

    private RawClient(Socket socket, int status) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.status = status;
    }

    /**
     * Opens {@code path} on the test server with the WebSocket handshake.
     *
     * @param origin        the Origin header, or null for none
     * @param from          the local address to connect from (any 127.x.y.z works on loopback), or null
     * @param receiveBuffer the socket's receive buffer in bytes, or 0 for the default
     */
    static RawClient open(String path, String origin, InetAddress from, int receiveBuffer) throws IOException {
        int port = Integer.getInteger("it.http.port");
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket);
        return new RawClient(socket, Integer.parseInt(head.split(" ", 3)[1]));
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
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The handshake's HTTP status: 101 when the socket was opened. */
    int status() {
        return status;
    }

    /** The next text message, never answering pings; fails on a close or after {@code wait}. */
    JsonObject next(Duration wait) throws IOException {
        Frame frame = nextDataOrClose(wait);
        if (frame.opcode != 1) {
            throw new AssertionError("expected a text message, got a close " + closeCode(frame));
        }
        return Json.createReader(new StringReader(new String(frame.payload, StandardCharsets.UTF_8))).readObject();
    }

    /** Reads (and drops) messages until the server's close frame: its code, or -1 if the connection just ended. */
    int awaitClose(Duration wait) throws IOException {
        try {
            Frame frame;
            do {
                frame = nextDataOrClose(wait);
            } while (frame.opcode != 8);
            return closeCode(frame);
        } catch (EOFException | java.net.SocketException ended) {
            return -1;
        }
    }

    private static int closeCode(Frame close) {
        return close.payload.length >= 2 ? ((close.payload[0] & 0xff) << 8) | (close.payload[1] & 0xff) : 1005;
    }

    private record Frame(int opcode, byte[] payload) {
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
                if (opcode == 1 || opcode == 8) {
                    return new Frame(opcode, payload);
                }
            }
        } catch (SocketTimeoutException timeout) {
            throw new AssertionError("nothing within " + wait, timeout);
        }
    }

    /** Sends one masked text frame, as clients must. */
    void send(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
