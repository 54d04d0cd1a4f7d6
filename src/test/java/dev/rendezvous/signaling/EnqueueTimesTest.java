package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnqueueTimesTest {

    private final EnqueueTimes times = new EnqueueTimes();

    @Test
    void eachMessageGetsBackTheTimeItWasStampedWith() {
        long before = System.nanoTime();
        times.stamp("a");
        long between = System.nanoTime();
        times.stamp("b");
        long after = System.nanoTime();
        long a = times.take("a");
        long b = times.take("b");
        assertTrue(before <= a && a <= between && between <= b && b <= after);
    }

    @Test
    void messagesQueuedInAnotherOrderThanStampedAreStillFound() {
        // Two senders race: the first to stamp is the second to queue.
        times.stamp("first stamped");
        times.stamp("first queued");
        long queuedFirst = times.take("first queued");
        long stampedFirst = times.take("first stamped");
        assertNotEquals(EnqueueTimes.NONE, queuedFirst);
        assertNotEquals(EnqueueTimes.NONE, stampedFirst);
        assertTrue(stampedFirst <= queuedFirst);
    }

    @Test
    void aMessageBeyondTheRingHasNoStampUntilASlotIsFree() {
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i <= EnqueueTimes.SLOTS; i++) {
            String message = "m" + i;
            waiting.add(message);
            times.stamp(message);
        }
        for (int i = 0; i < EnqueueTimes.SLOTS; i++) {
            assertNotEquals(EnqueueTimes.NONE, times.take(waiting.get(i)), waiting.get(i));
        }
        assertEquals(EnqueueTimes.NONE, times.take(waiting.get(EnqueueTimes.SLOTS)), "the ring was full when it was queued");
        times.stamp("later");
        assertNotEquals(EnqueueTimes.NONE, times.take("later"));
    }

    @Test
    void aTimeIsTakenOnlyOnce() {
        String pong = "{\"type\":\"pong\"}";
        times.stamp(pong);
        assertNotEquals(EnqueueTimes.NONE, times.take(pong));
        assertEquals(EnqueueTimes.NONE, times.take(pong));
        assertEquals(EnqueueTimes.NONE, times.take("never stamped"));
    }
}
