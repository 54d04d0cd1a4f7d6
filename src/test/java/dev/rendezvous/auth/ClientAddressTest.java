package dev.rendezvous.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientAddressTest {

    private static HttpServletRequest request(String remoteAddress, Map<String, String[]> parameters) {
        return (HttpServletRequest) Proxy.newProxyInstance(ClientAddressTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> remoteAddress;
                    case "getParameterMap" -> parameters;
                    default -> null;
                });
    }

    @Test
    void theHandshakeSeesTheRemoteAddressWhateverTheClientSentUnderItsName() {
        HttpServletRequest seen = new ClientAddress.Attached(request("10.0.0.7",
                Map.of(ClientAddress.PARAMETER, new String[] {"1.2.3.4"}, "name", new String[] {"Ada"})));
        assertEquals("10.0.0.7", seen.getParameter(ClientAddress.PARAMETER));
        assertArrayEquals(new String[] {"10.0.0.7"}, seen.getParameterValues(ClientAddress.PARAMETER));
        assertArrayEquals(new String[] {"10.0.0.7"}, seen.getParameterMap().get(ClientAddress.PARAMETER));
        assertEquals("Ada", seen.getParameter("name"));
        assertEquals(List.of(ClientAddress.PARAMETER, "name").stream().sorted().toList(),
                Collections.list(seen.getParameterNames()).stream().sorted().toList());
    }
}
