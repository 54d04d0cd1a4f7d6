package dev.rendezvous.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    @Test
    void anOriginIsNormalizedWithItsDefaultPortAndALowerCaseHost() {
        assertEquals("https://example.org:443", OriginPolicy.normalize("https://Example.ORG"));
        assertEquals("http://127.0.0.1:8080", OriginPolicy.normalize("http://127.0.0.1:8080/"));
        assertEquals("http://[::1]:80", OriginPolicy.normalize("http://[::1]"));
    }

    @Test
    void aHostNameWithAnUnderscoreIsAnOriginToo() {
        // A page served by a container named in a compose file: java.net.URI gives it no host.
        assertEquals("http://my_app:8080", OriginPolicy.normalize("http://My_App:8080"));
        assertEquals("https://web_1.internal:443", OriginPolicy.normalize("https://web_1.internal"));
        OriginPolicy own = new OriginPolicy(List.of());
        assertTrue(own.allows("http://my_app:8080", "my_app:8080"), "the server's own origin");
        assertFalse(own.allows("http://other_app:8080", "my_app:8080"));
        assertTrue(new OriginPolicy(List.of("http://my_app:8080")).allows("http://my_app:8080", "elsewhere:1"), "listed");
    }

    @Test
    void whatIsNoOriginIsRefused() {
        for (String notAnOrigin : List.of("null", "file:///tmp/x", "http://a_b:99999", "http://a_b:x", "http://a_b:",
                "http://user@a_b", "http://a_b/path", "http://a_b?q", "http://a..b_c", "http://_b:80/x", "ftp://example.org",
                "http://a b_c")) {
            assertNull(OriginPolicy.normalize(notAnOrigin), notAnOrigin);
        }
        assertThrows(IllegalStateException.class, () -> new OriginPolicy(List.of("http://a_b:x")));
    }
}
