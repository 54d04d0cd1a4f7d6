package dev.rendezvous.it;

import dev.rendezvous.testkit.BuiltWar;
import dev.rendezvous.testkit.RawClient;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server-wide caps, from clients on distinct loopback addresses: at most 4 connections, 2 per
 * address, 2 rooms. One test walks through all of them, so no other test's connections count.
 */
class CapacityIT extends SignalingTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith(
                "signaling.connections.max=4",
                "signaling.connections.per-address=2",
                "signaling.rooms.max=2");
    }

    private RawClient from(String address, String roomName) throws IOException {
        return RawClient.open(signalPath(roomName, null), null, InetAddress.getByName(address), 0);
    }

    private static void assertRefused(RawClient client, String code, int closeCode) throws IOException {
        JsonObject error = client.next(WAIT);
        assertEquals("error", error.getString("type"));
        assertEquals(code, error.getString("code"));
        assertEquals(closeCode, client.awaitClose(WAIT));
    }

    @Test
    void connectionsPerAddressInTotalAndRoomsAreCappedAndFreedPlacesCanBeTaken() throws Exception {
        List<RawClient> open = new ArrayList<>();
        try {
            open.add(from("127.0.0.11", room));
            open.add(from("127.0.0.11", room));
            open.forEach(client -> welcomed(client));
            try (RawClient third = from("127.0.0.11", room)) {
                assertRefused(third, "TOO_MANY_CONNECTIONS", 1013);
            }

            RawClient otherRoom = from("127.0.0.12", room + "-b");
            open.add(otherRoom);
            welcomed(otherRoom);
            try (RawClient thirdRoom = from("127.0.0.13", room + "-c")) {
                assertRefused(thirdRoom, "TOO_MANY_ROOMS", 1013);
            }

            RawClient fourth = from("127.0.0.13", room);
            open.add(fourth);
            welcomed(fourth);
            try (RawClient fifth = from("127.0.0.14", room)) {
                assertRefused(fifth, "TOO_MANY_CONNECTIONS", 1013);
            }

            // Leaving frees a connection and, as the room empties, a room, before the close is sent:
            // the place is free as soon as the client sees the close.
            otherRoom.send("{\"type\":\"bye\"}");
            assertEquals(1000, otherRoom.awaitClose(WAIT));
            RawClient again = from("127.0.0.14", room + "-c");
            open.add(again);
            welcomed(again);
        } finally {
            for (RawClient client : open) {
                client.close();
            }
        }
    }

    private static void welcomed(RawClient client) {
        try {
            assertEquals("welcome", client.next(WAIT).getString("type"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
