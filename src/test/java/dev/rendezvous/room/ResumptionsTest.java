package dev.rendezvous.room;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class ResumptionsTest {

    private final Resumptions resumptions = new Resumptions();

    private static Member member() {
        return new Member(new Peer("id", "n"), new Mailbox(message -> { }, true));
    }

    @Test
    void aTokenIsClaimedOnceAndOnlyForItsRoom() {
        Member member = member();
        String token = resumptions.issue("r", member);
        assertNull(resumptions.claim(token, "other"));
        assertEquals(member, resumptions.claim(token, "r").member());
        assertNull(resumptions.claim(token, "r"));
        assertEquals(0, resumptions.size());
    }

    @Test
    @Timeout(60)
    void aParkRacingTheClaimNeverMakesAValidTokenLookUsed() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Member member = member();
            String token = resumptions.issue("r", member);
            CyclicBarrier start = new CyclicBarrier(2);
            Thread parker = new Thread(() -> {
                await(start);
                resumptions.park(member, System.nanoTime() + 1_000_000_000L);
            });
            parker.start();
            await(start);
            assertNotNull(resumptions.claim(token, "r"), "claim lost to a concurrent park in round " + i);
            parker.join();
            assertEquals(0, resumptions.size());
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
