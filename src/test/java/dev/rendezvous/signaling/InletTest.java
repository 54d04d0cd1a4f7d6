package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every frame counts against the rate (PROTOCOL.md, "Limits on abuse"). The bucket refills at one
 * token a second and these tests take milliseconds: only a stall of seconds could change a count.
 */
class InletTest {

    private static final String PING = "{\"type\":\"ping\"}";

    private final StandIns.RecordingEvents events = new StandIns.RecordingEvents();
    private final Inlet inlet = new Inlet(1024, 1, 10, events, StandIns.unstartedSocket());

    @Test
    void aMessageWithinTheRateIsDecodedAndEachOfItsFragmentsTakesAToken() {
        for (int i = 0; i < 3; i++) {
            assertNull(inlet.text("{\"type\":", false));
            assertNull(inlet.text("\"pi", false));
            assertInstanceOf(Inbound.Ping.class, inlet.text("ng\"}", true));
        }
        // Nine frames taken of ten: one whole message more is within the rate, a second is not.
        assertInstanceOf(Inbound.Ping.class, inlet.text(PING, true));
        assertEquals(ErrorCode.RATE_LIMITED, assertInstanceOf(Inbound.Invalid.class, inlet.text(PING, true)).code());
    }

    @Test
    void aMessageSomeOfWhoseFragmentsCameOverTheRateIsDroppedWholeWithOneAnswer() {
        List<Inbound> answers = new ArrayList<>();
        answers.add(inlet.text("{\"type\":\"ping\",\"pad\":\"", false));
        for (int i = 0; i < 13; i++) {
            answers.add(inlet.text("x", false));
        }
        answers.add(inlet.text("\"}", true));
        List<Inbound> beforeTheLast = answers.subList(0, answers.size() - 1);
        beforeTheLast.forEach(answer -> assertNull(answer, "nothing is answered before the message completes"));
        Inbound last = answers.get(answers.size() - 1);
        assertEquals(ErrorCode.RATE_LIMITED, assertInstanceOf(Inbound.Invalid.class, last).code(), "15 frames against a burst of 10");
        assertEquals(5, events.told.stream().filter("rateLimited"::equals).count(), "each frame over the rate is counted");
    }

    @Test
    void endlessFragmentsOfAMessageThatNeverCompletesAreAFlood() {
        Inbound answer = null;
        int frames = 0;
        while (answer == null && frames < 1_000) {
            answer = inlet.text("", false);
            frames++;
        }
        assertInstanceOf(Inbound.Flood.class, answer, "empty continuation frames, one after another");
        // A burst of 10 taken, then a debt of 10 (one frame more for the trickle refilled meanwhile).
        assertTrue(frames == 20 || frames == 21, frames + " frames");
    }

    @Test
    void aMessageOverTheSizeLimitIsTooLargeAsSoonAsItsFragmentsAreOverIt() {
        Inlet small = new Inlet(16, 1, 10, events, StandIns.unstartedSocket());
        assertNull(small.text("{\"type\":\"ping\",", false));
        Inbound over = small.text("\"pad\":\"xxxxxxxx\"}", false);
        assertEquals(ErrorCode.TOO_LARGE, assertInstanceOf(Inbound.Invalid.class, over).code());
    }
}
