package dev.rendezvous.signaling;

import dev.rendezvous.auth.ClientAddress;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The request the handshake filter hands the WebSocket implementation, against a stand-in container's. */
class HandshakeFilterTest {

    private final List<String> asked = new ArrayList<>();

    /** A container request that records what it is asked and knows its addresses and one parameter. */
    private HttpServletRequest containerRequest() {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                    asked.add(method.getName());
                    return switch (method.getName()) {
                        case "getLocalAddr" -> "127.0.0.1";
                        case "getLocalName" -> "localhost";
                        case "getRemoteAddr" -> "127.0.0.2";
                        case "getQueryString" -> "resume=r1.x";
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    @Test
    void theLocalNameIsTheAddressWithNoLookUp() {
        HttpServletRequest upgrading = new HandshakeFilter.Upgrading(containerRequest(), null);

        assertEquals("127.0.0.1", upgrading.getLocalName());
        assertFalse(asked.contains("getLocalName"), "the container was asked for its name: " + asked);
    }

    @Test
    void theClientAddressIsAParameterBesideTheClientsOwn() {
        HttpServletRequest upgrading = new HandshakeFilter.Upgrading(containerRequest(), null);

        assertArrayEquals(new String[] {"127.0.0.2"}, upgrading.getParameterValues(ClientAddress.PARAMETER));
        assertEquals("r1.x", upgrading.getParameter("resume"));
        assertEquals(2, upgrading.getParameterMap().size());
    }
}
