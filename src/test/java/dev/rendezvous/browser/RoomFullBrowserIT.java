package dev.rendezvous.browser;

import dev.rendezvous.it.BuiltWar;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A room limited to two: the third page is refused and says why. */
class RoomFullBrowserIT extends PageTestBase {

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.configuredWith("signaling.room.max-peers=2");
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
}
