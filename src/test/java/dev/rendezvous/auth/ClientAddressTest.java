package dev.rendezvous.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientAddressTest {

    private static HttpServletRequest request(String remoteAddress, String query) {
        return (HttpServletRequest) Proxy.newProxyInstance(ClientAddressTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> remoteAddress;
                    case "getQueryString" -> query;
                    case "getParameterMap" -> throw new AssertionError("the container's parse was asked for");
                    default -> null;
                });
    }

    @Test
    void theHandshakeSeesTheRemoteAddressWhateverTheClientSentUnderItsName() {
        HttpServletRequest seen = new ClientAddress.Attached(request("10.0.0.7",
                ClientAddress.PARAMETER + "=1.2.3.4&name=Ada"));
        assertEquals("10.0.0.7", seen.getParameter(ClientAddress.PARAMETER));
        assertArrayEquals(new String[] {"10.0.0.7"}, seen.getParameterValues(ClientAddress.PARAMETER));
        assertArrayEquals(new String[] {"10.0.0.7"}, seen.getParameterMap().get(ClientAddress.PARAMETER));
        assertEquals("Ada", seen.getParameter("name"));
        assertEquals(List.of(ClientAddress.PARAMETER, "name").stream().sorted().toList(),
                Collections.list(seen.getParameterNames()).stream().sorted().toList());
    }

    @Test
    void theHandshakeSeesTheQueryDecodedAsUtf8WhateverTheContainerWouldDo() {
        HttpServletRequest seen = new ClientAddress.Attached(request("10.0.0.7", "name=Zo%C3%AB+Ann&resume=r1.x"));
        assertEquals("Zoë Ann", seen.getParameter("name"));
        assertArrayEquals(new String[] {"Zoë Ann"}, seen.getParameterMap().get("name"));
        assertEquals("r1.x", seen.getParameter("resume"));
        assertEquals(null, seen.getParameter("token"));
    }
}
