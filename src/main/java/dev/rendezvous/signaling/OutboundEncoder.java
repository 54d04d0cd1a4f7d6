package dev.rendezvous.signaling;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyOrderStrategy;
import jakarta.websocket.Encoder;

/** Turns any {@link Outbound} into its JSON text. Messages are encoded once and the text is fanned out. */
public final class OutboundEncoder implements Encoder.Text<Outbound> {

    static final OutboundEncoder INSTANCE = new OutboundEncoder();

    /** Thread-safe and costly to build: one per application. */
    private static final Jsonb JSONB = JsonbBuilder.create(
            new JsonbConfig().withPropertyOrderStrategy(PropertyOrderStrategy.ANY));

    @Override
    public String encode(Outbound message) {
        // The runtime type, not Outbound.class: Yasson writes only the interface's (no) properties otherwise.
        return JSONB.toJson(message);
    }
}
