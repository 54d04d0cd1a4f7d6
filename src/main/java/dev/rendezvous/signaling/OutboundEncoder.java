package dev.rendezvous.signaling;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyOrderStrategy;

/**
 * Turns any {@link Outbound} into its JSON text. Messages are encoded once and the text is fanned
 * out. Relayed signals, the bulk of the traffic, are written by {@link SignalEncoder}; JSON-B writes
 * the rest.
 */
final class OutboundEncoder {

    static final OutboundEncoder INSTANCE = new OutboundEncoder();

    /** Thread-safe and costly to build: one per application. */
    private static final Jsonb JSONB = JsonbBuilder.create(
            new JsonbConfig().withPropertyOrderStrategy(PropertyOrderStrategy.ANY));

    String encode(Outbound message) {
        if (message instanceof Signal signal) {
            return SignalEncoder.encode(signal);
        }
        // The runtime type, not Outbound.class: Yasson writes only the interface's (no) properties otherwise.
        return JSONB.toJson(message);
    }

    /** The error message {@code {"type":"error","code":…,"message":…}}. */
    String error(ErrorCode code, String message) {
        return encode(new Outbound.ErrorReply(code, message));
    }
}
