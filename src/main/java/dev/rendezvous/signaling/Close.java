package dev.rendezvous.signaling;

import jakarta.websocket.CloseReason;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Every close the server sends, with its code and reason phrase (docs/PROTOCOL.md, "Close codes"),
 * and whether the member is kept for resume after it.
 */
public enum Close {

    BYE(1000, "bye", false),
    /** The server stops (a restart, a redeploy): come back, to it or another node, and resume. */
    RESTART(1012, "service restart", true),
    /** Cut off for reading too slowly: kept for resume, it may read faster on a new socket. */
    TOO_SLOW(1008, "too slow to read", true),
    TOO_LARGE(1009, "message too large", false),
    /** The container could not write: the connection is broken, or its own write queue is full. */
    WRITE_FAILED(1011, "write failed", true),
    /**
     * The server failed, for instance the container threw an {@code Error} framing a message (Tyrus
     * does for text it cannot encode as UTF-8). Not a drop: resuming would hand the same message over again.
     */
    INTERNAL_ERROR(1011, "internal error", false),
    TOO_MANY_CONNECTIONS(1013, "TOO_MANY_CONNECTIONS", false),
    TOO_MANY_ROOMS(1013, "TOO_MANY_ROOMS", false),
    BAD_ROOM(4400, "BAD_ROOM", false),
    UNAUTHORIZED(4401, "UNAUTHORIZED", false),
    /** The server removed the member: the client should not come back by itself. */
    KICKED(4403, "removed by an administrator", false),
    ROOM_CLOSED(4404, "room closed by an administrator", false),
    /** No pong for two heartbeat intervals: a drop, kept for resume. */
    SILENT(4408, "no heartbeat", true),
    ROOM_FULL(4409, "ROOM_FULL", false),
    /** Resuming over a socket the server had not yet seen die closes that socket. */
    SUPERSEDED(4410, "resumed on another connection", false),
    RATE_ABUSE(4429, "too many messages", false);

    /** A client closing with this code will be back: its place is kept for resume. */
    static final int BE_RIGHT_BACK = 4000;
    /** What a socket that ended with no close frame is reported as. */
    static final int DROPPED = 1006;
    /** Codes clients close with that the protocol names (1001: the page was left). */
    private static final int[] FROM_CLIENTS = {1000, 1001, DROPPED, BE_RIGHT_BACK};

    private final CloseReason reason;
    private final boolean resumable;

    Close(int code, String phrase, boolean resumable) {
        this.reason = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), phrase);
        this.resumable = resumable;
    }

    /** The reason sent; the same instance every time, so a close the server decided is known by identity. */
    public CloseReason reason() {
        return reason;
    }

    public int code() {
        return reason.getCloseCode().getCode();
    }

    /** Every code a signaling socket is documented to end with, sent by either side, ascending. */
    public static int[] documentedCodes() {
        return IntStream.concat(Arrays.stream(values()).mapToInt(Close::code), Arrays.stream(FROM_CLIENTS))
                .distinct().sorted().toArray();
    }

    /**
     * Whether a connection that ended for {@code reason} dropped rather than ended, so its member is
     * kept for resume: a close the server decided says so itself; from a client, no close frame,
     * 4000 ("be right back"), 4408 or 1012 count as drops. Undertow reports text that is not UTF-8 as
     * 1006 {@code UT002003} (it sent 1007): that client broke the protocol and leaves.
     */
    static boolean mayComeBack(CloseReason reason) {
        for (Close close : values()) {
            if (close.reason == reason) {
                return close.resumable;
            }
        }
        int code = reason.getCloseCode().getCode();
        String phrase = reason.getReasonPhrase();
        return code == DROPPED && (phrase == null || !phrase.startsWith("UT002003"))
                || code == BE_RIGHT_BACK || code == SILENT.code() || code == RESTART.code();
    }
}
