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
        assertEquals(new Access.Granted("Ann", 3), tokens.verify(token, "demo", now));
        assertInstanceOf(Access.Denied.class, tokens.verify(token, "other", now));
        assertInstanceOf(Access.Denied.class, tokens.verify(token, "demo", now.plusSeconds(700)), "expired");
        assertInstanceOf(Access.Denied.class, new AccessTokens(SECRET + "!").verify(token, "demo", now), "another secret");
    }

    @Test
    void optionalClaimsAreLeftOutAndAWildcardOpensAnyRoom() {
        String token = tokens.mint("*", null, null, now.plusSeconds(60));
        assertEquals(new Access.Granted(null, null), tokens.verify(token, "anything", now));
    }
}
