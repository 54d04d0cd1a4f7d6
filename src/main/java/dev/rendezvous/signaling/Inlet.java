package dev.rendezvous.signaling;

/**
 * What one client sends, made into protocol messages: text fragments joined under the size limit,
 * each message taken from the connection's rate (what goes over it is counted), then decoded. Only the connection's own message
 * thread calls it.
 */
final class Inlet {

    private static final Inbound DROPPED = new Inbound.Invalid(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.text());
    private static final Inbound FLOOD = new Inbound.Flood();
    private static final Inbound BINARY = new Inbound.Invalid(ErrorCode.BAD_MESSAGE, "binary frames are not part of the protocol");

    private final Fragments fragments;
    private final RateLimiter limiter;
    private final InboundDecoder decoder;
    private final int maxMessageBytes;
    private final SignalingEvents events;
    private final SessionOutbox connection;

    /** For {@code connection}: each frame received is also the news that the client is alive. */
    Inlet(int maxMessageBytes, int ratePerSecond, int rateBurst, SignalingEvents events, SessionOutbox connection) {
        this.events = events;
        this.connection = connection;
        long now = System.nanoTime();
        fragments = new Fragments(maxMessageBytes);
        limiter = new RateLimiter(ratePerSecond, rateBurst, now);
        decoder = new InboundDecoder(maxMessageBytes);
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The message a text frame completes, or null while more fragments are to come. A message over
     * the size limit is known as soon as its fragments are, and is not counted against the rate;
     * one over the rate is not decoded.
     */
    Inbound text(String part, boolean last) {
        long now = heard();
        String text = fragments.add(part, last);
        if (text == null) {
            return null;
        }
        if (text == Fragments.OVER_LIMIT) {
            // Built when needed: every connection keeps its inlet, few ever go over.
            return new Inbound.Invalid(ErrorCode.TOO_LARGE, "message is larger than " + maxMessageBytes + " bytes");
        }
        Inbound overRate = rate(now);
        return overRate != null ? overRate : decoder.decode(text);
    }

    /** What a binary frame is: no part of the protocol. */
    Inbound binary() {
        Inbound overRate = rate(heard());
        return overRate != null ? overRate : BINARY;
    }

    /** A frame came, a pong included: the client is alive now. */
    long heard() {
        long now = System.nanoTime();
        connection.heard(now);
        return now;
    }

    private Inbound rate(long now) {
        RateLimiter.Verdict verdict = limiter.take(now);
        if (verdict == RateLimiter.Verdict.ACCEPT) {
            return null;
        }
        events.rateLimited();
        return verdict == RateLimiter.Verdict.REFUSE ? DROPPED : FLOOD;
    }
}
