package dev.rendezvous.room;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailboxTest {

    @Test
    void anEndedMailboxEndsItsConnectionOnceAndForwardsNothingMore() {
        RecordingOutbox connection = new RecordingOutbox();
        Mailbox mailbox = new Mailbox(connection, true);
        mailbox.send("one");
        mailbox.end(Removal.ROOM_CLOSED);
        mailbox.end(Removal.KICKED);
        mailbox.send("two");
        assertEquals(List.of(Removal.ROOM_CLOSED), connection.endings());
        assertEquals(List.of("one"), connection.messages());
        assertTrue(mailbox.ended());
        assertTrue(mailbox.isAttachedTo(connection), "whoever handles the close must see it was this member's connection");
        assertFalse(mailbox.reattach(new RecordingOutbox(), Mailbox.RECEIVED_UNKNOWN), "no resume after a removal");
    }

    @Test
    void aRetiredMailboxForwardsNothingMoreTellsTheConnectionNothingAndCannotBeResumed() {
        RecordingOutbox connection = new RecordingOutbox();
        Mailbox mailbox = new Mailbox(connection, true);
        mailbox.send("one");
        mailbox.retire();
        mailbox.send("two");
        mailbox.end(Removal.KICKED);
        assertEquals(List.of("one"), connection.messages());
        assertEquals(List.of(), connection.endings(), "the member left by itself: its connection is closing already");
        assertTrue(mailbox.ended());
        assertFalse(mailbox.reattach(new RecordingOutbox(), Mailbox.RECEIVED_UNKNOWN), "no resume after leaving for good");
        assertEquals(null, mailbox.handOver(Mailbox.RECEIVED_UNKNOWN));
    }

    @Test
    void aMemberRemovedWhileAwayCannotBeResumed() {
        RecordingOutbox dropped = new RecordingOutbox();
        Mailbox mailbox = new Mailbox(dropped, true);
        mailbox.send("one");
        assertTrue(mailbox.detach(dropped));
        mailbox.send("while away");
        mailbox.end(Removal.KICKED);
        assertEquals(List.of(), dropped.endings(), "a dropped connection has nothing left to end");
        RecordingOutbox resumed = new RecordingOutbox();
        assertFalse(mailbox.reattach(resumed, 1));
        assertEquals(List.of(), resumed.messages());
    }

    @Test
    void ofWhatWasHandedToALiveSocketAtMost64KiBIsKeptWhileWhatCameWhileAwayMayFillTheWindow() {
        String kib = "x".repeat(1024);
        RecordingOutbox dropped = new RecordingOutbox();
        Mailbox mailbox = new Mailbox(dropped, true);
        for (int i = 0; i < 100; i++) {
            mailbox.send(kib);
        }
        assertTrue(mailbox.detach(dropped));
        for (int i = 0; i < 150; i++) {
            mailbox.send(kib);
        }
        assertFalse(mailbox.overflowed(), "150 KiB that came while away are within the 256 KiB kept");
        assertFalse(mailbox.reattach(new RecordingOutbox(), 100 - 65), "65 unread KiB are more than the 64 kept of what was handed");
        RecordingOutbox resumed = new RecordingOutbox();
        assertTrue(mailbox.reattach(resumed, 100 - 64));
        assertEquals(64 + 150, resumed.messages().size(), "the 64 unread, then all that came while away");
    }
}
