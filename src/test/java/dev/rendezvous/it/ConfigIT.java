package dev.rendezvous.it;

import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Settings reach the protocol through MicroProfile Config: the WAR carries a
 * microprofile-config.properties, and the build sets {@code SIGNALING_TURN_USERNAME} in the
 * server's environment, which must win over the file.
 */
class ConfigIT extends SignalingTestBase {

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith(
                "signaling.room.max-peers=2",
                "signaling.message.max-bytes=2048",
                "signaling.stun.urls=stun:127.0.0.1:3478,stun:127.0.0.1:3479",
                "signaling.turn.urls=turn:127.0.0.1:3478?transport=udp",
                "signaling.turn.username=from-file",
                "signaling.turn.credential=secret");
    }

    @Test
    void welcomeCarriesTheConfiguredLimitsAndIceServersWithEnvironmentOverridingTheFile() {
        JsonObject welcome = join("a").welcome();
        assertEquals(Json.createObjectBuilder().add("maxPeers", 2).add("maxMessageBytes", 2048).add("resumeGraceSeconds", 30).build(),
                welcome.getJsonObject("limits"));
        assertEquals(Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("urls", Json.createArrayBuilder()
                        .add("stun:127.0.0.1:3478").add("stun:127.0.0.1:3479")))
                .add(Json.createObjectBuilder().add("urls", Json.createArrayBuilder()
                                .add("turn:127.0.0.1:3478?transport=udp"))
                        .add("username", "from-environment").add("credential", "secret"))
                .build(), welcome.getJsonArray("iceServers"));
    }

    @Test
    void theConfiguredCapacityRefusesTheThirdPeer() {
        join("a");
        join("b");
        TestPeer third = connect(room, "c");
        third.error("ROOM_FULL");
        assertEquals(4409, third.awaitClose().code());
    }

    @Test
    void theConfiguredMessageLimitApplies() {
        Joined a = join("a");
        String prefix = "{\"type\":\"ping\",\"pad\":\"";
        a.peer().send(prefix + "p".repeat(2048 - prefix.length() - 2) + "\"}");
        a.peer().next("pong");
        a.peer().send(prefix + "p".repeat(2049 - prefix.length() - 2) + "\"}");
        a.peer().error("TOO_LARGE");
        assertEquals(1009, a.peer().awaitClose().code());
    }
}
