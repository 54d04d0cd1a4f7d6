package dev.rendezvous.signaling;

import dev.rendezvous.room.Removal;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every test of {@link SessionOutboxTest}, with text written as frames past the container
 * ({@link TextFrames}); and that the outbox lets go of a frame still waiting for the socket whenever
 * it finishes: the stream that holds such a frame can outlive the connection.
 */
class SessionOutboxFramesTest extends SessionOutboxTest {

    @Override
    boolean framesPastTheContainer() {
        return true;
    }

    @Test
    void aWaitingFrameIsLetGoWhenTheSocketCloses() {
        SessionOutbox outbox = outbox(Completion.NEVER);
        outbox.start("welcome");
        assertEquals(1, waitingFrames.size());
        outbox.closed();
        assertEquals(List.of(), waitingFrames);
    }

    @Test
    void aWaitingFrameIsLetGoWhenTheServerGivesUp() {
        SessionOutbox kicked = outbox(Completion.NEVER);
        kicked.start("welcome");
        kicked.end(Removal.KICKED);
        assertEquals(List.of(), waitingFrames, "kicked");

        SessionOutbox slow = outbox(Completion.NEVER, 10);
        slow.start("welcome");
        slow.send("x".repeat(6));
        slow.send("x".repeat(6));
        assertEquals(1008, gaveUp.get(gaveUp.size() - 1).getCloseCode().getCode());
        assertEquals(List.of(), waitingFrames, "too slow");
    }

    @Test
    void aFrameHandedOverAsTheOutboxFinishesIsLetGoToo() {
        SessionOutbox outbox = outbox(Completion.NEVER);
        // The socket closes on another thread between the writer's check and the frame's hand-over.
        duringHandOver = outbox::closed;
        outbox.start("welcome");
        assertEquals(List.of("welcome"), written);
        assertEquals(List.of(), waitingFrames);
    }
}
