package dev.rendezvous.ops;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MintRequestTest {

    @Test
    void aFullRequestIsTakenAsGivenAndOnlyARoomIsRequired() {
        assertEquals(new MintRequest("demo", "Ann", 4, 600),
                MintRequest.parse("{\"room\":\"demo\",\"name\":\"Ann\",\"maxPeers\":4,\"ttl\":600}"));
        assertEquals(new MintRequest("*", null, null, MintRequest.DEFAULT_TTL), MintRequest.parse("{\"room\":\"*\"}"));
        assertEquals(new MintRequest("r", null, null, MintRequest.DEFAULT_TTL),
                MintRequest.parse("{\"room\":\"r\",\"name\":null,\"maxPeers\":null,\"ttl\":null}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                  | JSON object",
            "not json                            | JSON object",
            "[1]                                 | JSON object",
            "{}                                  | room is required",
            "{\"room\":\"a b\"}                  | room is required",
            "{\"room\":7}                        | room must be a string",
            "{\"room\":\"r\",\"name\":1}         | name must be a string",
            "{\"room\":\"r\",\"maxPeers\":0}     | maxPeers must be a whole number from 1 to 10000",
            "{\"room\":\"r\",\"maxPeers\":10001} | maxPeers must be",
            "{\"room\":\"r\",\"maxPeers\":2.5}   | maxPeers must be",
            "{\"room\":\"r\",\"maxPeers\":\"3\"} | maxPeers must be",
            "{\"room\":\"r\",\"ttl\":59}         | ttl must be a whole number from 60 to 86400",
            "{\"room\":\"r\",\"ttl\":86401}      | ttl must be",
            "{\"room\":\"r\",\"ttl\":1e30}       | ttl must be",
            "{\"room\":\"r\",\"maxpeers\":3}     | unknown field maxpeers",
            "{\"room\":\"r\",\"name\":\"a\\ud800\"} | well-formed text",
            "{\"room\":\"r\",\"name\":\"\\udc00\\ud800\"} | well-formed text",
            "{\"room\":\"r\",\"\\ud83d\":1}    | well-formed text",
    })
    void badRequestsAreRefusedSayingWhatIsWrong(String body, String expected) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MintRequest.parse(body));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    @Test
    void namesAreCappedAtSixtyFourCharacters() {
        String atTheCap = "😀".repeat(64);
        assertEquals(atTheCap, MintRequest.parse("{\"room\":\"r\",\"name\":\"" + atTheCap + "\"}").name());
        assertThrows(IllegalArgumentException.class, () -> MintRequest.parse("{\"room\":\"r\",\"name\":\"" + atTheCap + "x\"}"));
    }
}
