package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingConfigTest {

    @Test
    void noUrlsMeansAnEmptyIceServerList() {
        assertEquals(List.of(), SignalingConfig.iceServers(List.of(), List.of(), Optional.empty(), Optional.empty()));
    }

    @Test
    void stunAndTurnUrlsBecomeOneIceServerEach() {
        assertEquals(List.of(new Outbound.IceServer(List.of("stun:a:3478", "stuns:b:5349"), null, null),
                        new Outbound.IceServer(List.of("turn:t:3478?transport=udp"), "user", "secret")),
                SignalingConfig.iceServers(List.of("stun:a:3478", "stuns:b:5349"), List.of("turn:t:3478?transport=udp"),
                        Optional.of("user"), Optional.of("secret")));
    }

    @Test
    void badSettingsStopTheDeploymentNamingTheKey() {
        assertTrue(assertThrows(IllegalStateException.class, () -> SignalingConfig.iceServers(
                List.of("http://x"), List.of(), Optional.empty(), Optional.empty())).getMessage().contains("signaling.stun.urls"));
        assertTrue(assertThrows(IllegalStateException.class, () -> SignalingConfig.iceServers(
                List.of(), List.of("stun:x"), Optional.empty(), Optional.empty())).getMessage().contains("signaling.turn.urls"));
        assertTrue(assertThrows(IllegalStateException.class, () -> SignalingConfig.iceServers(
                List.of(), List.of("turn:x"), Optional.of("u"), Optional.empty())).getMessage().contains("signaling.turn.credential"));
        assertTrue(assertThrows(IllegalStateException.class, () -> SignalingConfig.checkLimits(0, 65536))
                .getMessage().contains("signaling.room.max-peers"));
        assertTrue(assertThrows(IllegalStateException.class, () -> SignalingConfig.checkLimits(8, 100))
                .getMessage().contains("signaling.message.max-bytes"));
        SignalingConfig.checkLimits(1, 1024);
    }
}
