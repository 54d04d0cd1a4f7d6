package dev.rendezvous.ice;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IceServersTest {

    @Test
    void noUrlsMeansAnEmptyIceServerList() {
        assertEquals(List.of(), IceServers.fixed(List.of(), List.of(), Optional.empty(), Optional.empty(), false));
    }

    @Test
    void stunAndStaticTurnUrlsBecomeOneIceServerEach() {
        assertEquals(List.of(new IceServer(List.of("stun:a:3478", "stuns:b:5349"), null, null),
                        new IceServer(List.of("turn:t:3478?transport=udp"), "user", "secret")),
                IceServers.fixed(List.of("stun:a:3478", "stuns:b:5349"), List.of("turn:t:3478?transport=udp"),
                        Optional.of("user"), Optional.of("secret"), false));
    }

    @Test
    void mintedTurnCredentialsAreLeftToEachPeer() {
        assertEquals(List.of(new IceServer(List.of("stun:a:3478"), null, null)),
                IceServers.fixed(List.of("stun:a:3478"), List.of("turn:t:3478"), Optional.empty(), Optional.empty(), true));
    }

    @Test
    void badSettingsStopTheDeploymentNamingTheKey() {
        assertTrue(assertThrows(IllegalStateException.class, () -> IceServers.fixed(
                List.of("http://x"), List.of(), Optional.empty(), Optional.empty(), false)).getMessage().contains("signaling.stun.urls"));
        assertTrue(assertThrows(IllegalStateException.class, () -> IceServers.fixed(
                List.of(), List.of("stun:x"), Optional.empty(), Optional.empty(), false)).getMessage().contains("signaling.turn.urls"));
        assertTrue(assertThrows(IllegalStateException.class, () -> IceServers.fixed(
                List.of(), List.of("turn:x"), Optional.of("u"), Optional.empty(), false)).getMessage().contains("signaling.turn.credential"));
    }

    @Test
    void turnCredentialsFollowTheTurnRestConvention() {
        TurnCredentials credentials = new TurnCredentials("north", 3600);
        IceServer server = credentials.issue(List.of("turn:127.0.0.1:3478"), "peer1", 1_700_000_000L);
        assertEquals("1700003600:peer1", server.username());
        // Expected value from: printf '1700003600:peer1' | openssl dgst -sha1 -hmac north -binary | base64
        assertEquals("/VEbvDfAIXLWflwoF+vmZkPWd6g=", server.credential());
        assertEquals(List.of("turn:127.0.0.1:3478"), server.urls());
    }
}
