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
    /** Whether a fragment of the message being joined came over the rate. */
    private boolean fragmentOverRate;

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
     * The message a text frame completes, or null while more fragments are to come. Every frame
     * counts against the rate: a message whose fragments went over it is dropped whole when it
     * completes, and a connection that runs into a burst's debt, fragments or not, is a flood at
     * once. A message over the size limit is known as soon as its fragments are, and its last frame
     * is not counted; one over the rate is not decoded.
     */
    Inbound text(String part, boolean last) {
        long now = heard();
        String text = fragments.add(part, last);
        if (text == null) {
            RateLimiter.Verdict verdict = limiter.take(now);
            if (verdict == RateLimiter.Verdict.ACCEPT) {
                return null;
            }
            events.rateLimited();
            fragmentOverRate = true;
            return verdict == RateLimiter.Verdict.ABUSE ? FLOOD : null;
        }
        boolean overRateBefore = fragmentOverRate;
        fragmentOverRate = false;
        if (text == Fragments.OVER_LIMIT) {
            // Built when needed: every connection keeps its inlet, few ever go over.
            return new Inbound.Invalid(ErrorCode.TOO_LARGE, "message is larger than " + maxMessageBytes + " bytes");
        }
        Inbound overRate = rate(now);
        if (overRate == null && overRateBefore) {
            // Its last frame was within the rate, an earlier one was not: the message is dropped all the same.
            return DROPPED;
        }
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
