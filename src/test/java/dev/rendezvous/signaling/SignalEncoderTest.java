package dev.rendezvous.signaling;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.StringReader;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written signal JSON says exactly what JSON-B would say, whatever the strings hold. */
class SignalEncoderTest {

    private static final Jsonb JSONB = JsonbBuilder.create();

    @Property(tries = 3000)
    void sessionSignalsMatchJsonB(@ForAll("strings") String from, @ForAll("optionalStrings") String to,
                                  @ForAll("strings") String sdp, @ForAll boolean offer) {
        Signal signal = offer ? new Offer(from, to, sdp) : new Answer(from, to, sdp);
        assertSameJson(signal);
    }

    @Property(tries = 1000)
    void candidatesMatchJsonB(@ForAll("strings") String from, @ForAll("optionalStrings") String to,
                              @ForAll("candidates") JsonValue candidate) {
        assertSameJson(new Candidate(from, to, candidate));
    }

    @Example
    void everyEscapeIsWritten() {
        String sdp = "\"\\\n\r\t\b\f\u0000\u001f\u007f\u2028é😀/";
        assertEquals("{\"type\":\"offer\",\"from\":\"A\",\"sdp\":\"\\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001f\u007f\u2028é😀/\"}",
                SignalEncoder.encode(new Offer("A", null, sdp)));
        assertSameJson(new Offer("A", null, sdp));
    }

    private static void assertSameJson(Signal signal) {
        String ours = SignalEncoder.encode(signal);
        assertEquals(parse(JSONB.toJson(signal)), parse(ours), ours);
        assertEquals(ours, OutboundEncoder.INSTANCE.encode(signal));
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Provide
    Arbitrary<String> strings() {
        return JsonStrings.any();
    }

    @Provide
    Arbitrary<String> optionalStrings() {
        return JsonStrings.optional();
    }

    @Provide
    Arbitrary<JsonValue> candidates() {
        Arbitrary<JsonValue> object = Combinators.combine(strings(), optionalStrings(),
                Arbitraries.integers().between(0, 65535).injectNull(0.3), optionalStrings()).as((line, mid, index, fragment) -> {
                    JsonObjectBuilder init = Json.createObjectBuilder().add("candidate", line);
                    if (mid != null) {
                        init.add("sdpMid", mid);
                    }
                    if (index != null) {
                        init.add("sdpMLineIndex", index);
                    }
                    if (fragment != null) {
                        init.add("usernameFragment", fragment);
                    }
                    return init.build();
                });
        return Arbitraries.oneOf(object, Arbitraries.just(JsonValue.NULL));
    }
}
