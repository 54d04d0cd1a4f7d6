package dev.rendezvous.auth;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class AccessTokensTest {

    private static final String SECRET = "an HS256 secret of thirty-two bytes or more";
    private final AccessTokens tokens = new AccessTokens(SECRET);
    private final Instant now = Instant.now();

    @Test
    void mintedTokensAreAdmittedForTheirRoomWithTheirNameAndCapacity() {
        String token = tokens.mint("demo", "Ann", 3, now.plusSeconds(600));
        assertEquals(new Admission.Admitted("Ann", 3), tokens.verify(token, "demo", now));
        assertInstanceOf(Admission.Denied.class, tokens.verify(token, "other", now));
        assertInstanceOf(Admission.Denied.class, tokens.verify(token, "demo", now.plusSeconds(700)), "expired");
        assertInstanceOf(Admission.Denied.class, new AccessTokens(SECRET + "!").verify(token, "demo", now), "another secret");
    }

    @Test
    void optionalClaimsAreLeftOutAndAWildcardOpensAnyRoom() {
        String token = tokens.mint("*", null, null, now.plusSeconds(60));
        assertEquals(new Admission.Admitted(null, null), tokens.verify(token, "anything", now));
    }
}
