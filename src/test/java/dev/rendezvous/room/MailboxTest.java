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
}
