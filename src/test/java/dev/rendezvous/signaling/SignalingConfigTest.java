package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingConfigTest {

    @Test
    void badLimitsStopTheDeploymentNamingTheKey() {
        assertTrue(assertThrows(IllegalStateException.class, () -> SignalingConfig.checkLimits(0, 65536))
                .getMessage().contains("signaling.room.max-peers"));
        assertTrue(assertThrows(IllegalStateException.class, () -> SignalingConfig.checkLimits(8, 100))
                .getMessage().contains("signaling.message.max-bytes"));
        SignalingConfig.checkLimits(1, 1024);
    }
}
