package dev.rendezvous.browser;

import dev.rendezvous.testkit.BuiltWar;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pages the server sends away say why and stay away: the third in a room limited to two, one an administrator removed. */
class RoomFullBrowserIT extends PageTestBase {

    private static final String ADMIN_TOKEN = "an admin token of at least thirty-two characters";

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith("signaling.room.max-peers=2", "signaling.admin.token=" + ADMIN_TOKEN);
    }

    @Test
    void aThirdPageIsToldTheRoomIsFull() {
        Browser.Page ann = join("Ann");
        join("Bob");
        Browser.Page cat = open("Cat");
        cat.await("the third page reports the full room",
                () -> cat.text("#status").toLowerCase().contains("room is full"));
        assertEquals("", peerId(cat));
        assertEquals(1, ann.findAll("#peers [data-peer]").size(), "Ann still sees only Bob");
        assertTrue(cat.text("#status").contains("2"), "the message says how many fit: " + cat.text("#status"));
    }

    @Test
    void aPageAnAdministratorRemovedSaysSoAndDoesNotComeBack() throws Exception {
        Browser.Page ann = join("Ann");
        Browser.Page bob = join("Bob");
        String bobId = peerId(bob);
        ann.await("Ann sees Bob", () -> !ann.findAll(peerRow(bobId)).isEmpty());
        assertEquals(204, admin("DELETE", "rooms/" + room + "/members/" + bobId).statusCode());
        bob.await("Bob's page says he was removed",
                () -> bob.text("#status").contains("An administrator removed you from this room."));
        ann.await("Bob is gone from Ann's page", () -> ann.findAll(peerRow(bobId)).isEmpty());
        // The page would reconnect within a second or two if it took the close for a drop.
        Browser.pause(3000);
        assertTrue(bob.text("#status").contains("removed you"), bob.text("#status"));
        String members = admin("GET", "rooms/" + room).body();
        assertTrue(members.contains(peerId(ann)), members);
        assertFalse(members.contains("Bob"), "Bob's page did not join again: " + members);
    }

    private static HttpResponse<String> admin(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + System.getProperty("it.http.port") + "/api/admin/" + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
