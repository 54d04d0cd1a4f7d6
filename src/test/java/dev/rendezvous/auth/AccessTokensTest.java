package dev.rendezvous.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

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
    void aMaxPeersThatIsNotAWholeNumberFrom1To10000IsRefusedNotTruncated() throws Exception {
        for (Object maxPeers : List.of(4_294_967_304L, 2.5, 3.0, 0, 10_001, -1, "4", true)) {
            assertInstanceOf(Access.Denied.class, tokens.verify(signed(maxPeers), "demo", now), "maxPeers " + maxPeers);
        }
        assertEquals(new Access.Granted(null, 10_000), tokens.verify(signed(10_000), "demo", now));
    }

    /** A token with the claim {@code maxPeers} as given, signed as the server signs. */
    private String signed(Object maxPeers) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("room", "demo").claim("maxPeers", maxPeers)
                .expirationTime(Date.from(now.plusSeconds(60))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void optionalClaimsAreLeftOutAndAWildcardOpensAnyRoom() {
        String token = tokens.mint("*", null, null, now.plusSeconds(60));
        assertEquals(new Access.Granted(null, null), tokens.verify(token, "anything", now));
    }
}
