package dev.rendezvous.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How a generator member speaks to one kind of signaling server: where it connects, what it sends,
 * and what it makes of a text frame that arrives. Reading looks at a frame only as far as the
 * benchmark needs (a {@code type}, a sender, a payload string), so that the generator spends its
 * core on sockets, not on JSON.
 */
interface Dialect {

    /** What a frame that arrived is to the generator. */
    enum Kind {
        /** The server's first message: the member is in ({@code welcome}, PeerJS's {@code OPEN}). */
        GREETING,
        /** A relayed signal, with a sender and a payload. */
        SIGNAL,
        /** News the benchmark does not count (a member joined or left, a pong). */
        IGNORED,
        /** Anything else: an error, a refusal, a frame the benchmark did not expect. */
        PROBLEM
    }

    /** Where member {@code side} (0 or 1) of two-member room {@code room} connects, under the server's {@code base}. */
    URI address(URI base, String room, int side);

    Kind kind(String frame);

    /** The sender's id of a {@link Kind#SIGNAL}. */
    String sender(String frame);

    /** The opaque payload string of a {@link Kind#SIGNAL} (the benchmark's sequence number and stamp, or padding). */
    String payload(String frame);

    /** The member's own id, once {@code greeting} arrived for member {@code side} of {@code room}. */
    String id(String greeting, String room, int side);

    /** The ids of the members the server says were in the room before this one. */
    List<String> peers(String greeting, String room, int side);

    /** A signal to member {@code to} carrying {@code payload}. */
    String offer(String to, String payload);

    /**
     * What a member sends just before it closes its socket to leave, as the dialect's own client does
     * (the product's page sends {@code bye}, then closes); null when it only closes.
     */
    String leave();

    /** What a member sends to stay connected, and how often; null when the server pings and the client answers. */
    String keepAlive();

    Duration keepAliveEvery();

    /** The key {@link #field} looks for: {@code "name":"}. */
    static String key(String name) {
        return "\"" + name + "\":\"";
    }

    /** The string value after {@code key} (see {@link #key}), the first in the frame; null when absent. Values hold no escapes here. */
    static String field(String frame, String key) {
        int start = frame.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = frame.indexOf('"', start);
        return end < 0 ? null : frame.substring(start, end);
    }
}
