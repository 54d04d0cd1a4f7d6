package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop of signals in two-member rooms: {@link #IN_FLIGHT} signals in flight per room unless told otherwise,
 * each arrival answered at once by a signal back, so the server relays as fast as it can. Every
 * envelope is {@code bytes} long on the wire whatever the dialect's framing, its payload the lines
 * of an SDP as a browser sends them (each line end escaped, {@code \r\n}), so that a server reads
 * and writes escapes as it would for real offers. Counts what was sent, delivered and misrouted, and
 * the problems the members saw.
 */
final class ClosedLoop implements AutoCloseable {

    static final int IN_FLIGHT = 8;
    private static final Duration DRAIN = Duration.ofSeconds(15);
    /** Lines of a data-channel offer from Chromium, repeated as needed; as a JSON string's text, line ends escaped. */
    private static final String SDP = String.join("\\r\\n", "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-",
            "t=0 0", "a=group:BUNDLE 0", "a=extmap-allow-mixed", "a=msid-semantic: WMS",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=ice-ufrag:Qm9v",
            "a=ice-pwd:6BhbxD1pzHHUuBnpwzd0ZVaw", "a=ice-options:trickle",
            "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=setup:actpass", "a=mid:0", "a=sctp-port:5000", "a=max-message-size:262144", "");

    private final Target target;
    private final int rooms;
    private final int bytes;
    private final int inFlight;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong misrouted = new AtomicLong();
    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final List<WireMember> members = new ArrayList<>();
    private volatile boolean running = true;

    ClosedLoop(Target target, int rooms, int bytes) {
        this(target, rooms, bytes, IN_FLIGHT);
    }

    ClosedLoop(Target target, int rooms, int bytes, int inFlight) {
        this.target = target;
        this.rooms = rooms;
        this.bytes = bytes;
        this.inFlight = inFlight;
    }

    void start(Affinity affinity) {
        String tag = "loop-" + Long.toHexString(System.nanoTime());
        List<WireMember[]> pairs = new ArrayList<>();
        List<ByteBuf[]> envelopes = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            WireMember[] pair = new WireMember[2];
            String[] ids = new String[2];
            // What each side sends: the offer to the other side, padded to the envelope size.
            ByteBuf[] envelope = new ByteBuf[2];
            for (int side = 0; side < 2; side++) {
                int me = side;
                pair[side] = WireMember.join(target, tag + "-" + r, side, (from, payload, arrivedAt) -> {
                    if (ids[1 - me] == null || !ids[1 - me].equals(from)) {
                        misrouted.incrementAndGet();
                        return;
                    }
                    delivered.incrementAndGet();
                    if (running) {
                        send(pair[me], envelope[me]);
                    }
                }, problems::add);
                members.add(pair[side]);
            }
            ids[0] = pair[0].id();
            ids[1] = pair[1].id();
            envelope[0] = padded(ids[1]);
            envelope[1] = padded(ids[0]);
            pairs.add(pair);
            envelopes.add(envelope);
        }
        affinity.generator();
        for (int r = 0; r < pairs.size(); r++) {
            for (int i = 0; i < inFlight; i++) {
                send(pairs.get(r)[0], envelopes.get(r)[0]);
            }
        }
    }

    private ByteBuf padded(String to) {
        int framing = target.dialect().offer(to, "").length();
        return WireMember.prepare(target.dialect().offer(to, sdp(Math.max(1, bytes - framing))));
    }

    /** {@code length} characters of {@link #SDP}, repeated, ending on a whole escape. */
    static String sdp(int length) {
        String text = SDP.repeat(length / SDP.length() + 1).substring(0, length);
        return text.endsWith("\\") ? text.substring(0, length - 1) + "x" : text;
    }

    private void send(WireMember member, ByteBuf envelope) {
        sent.incrementAndGet();
        member.send(envelope);
    }

    /** Stops answering and waits until everything sent has arrived (or {@link #DRAIN} has passed). */
    void stop() {
        running = false;
        long until = System.nanoTime() + DRAIN.toNanos();
        while (delivered.get() < sent.get() && System.nanoTime() < until) {
            Servers.pause(Duration.ofMillis(20));
        }
    }

    @Override
    public void close() {
        running = false;
        members.forEach(WireMember::leave);
    }
}
