package dev.rendezvous.room;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumptionsTest {

    private final Resumptions resumptions = new Resumptions();

    private static Member member() {
        return new Member(new Peer(PeerId.fresh().value(), "n"), new Mailbox(new RecordingOutbox(), true));
    }

    /** Parks {@code member} as the endpoint does when its connection drops: detached from it first. */
    private void park(Member member, long deadline) {
        Outbox live = member.mailbox().live();
        if (live != null) {
            member.mailbox().detach(live);
        }
        resumptions.park(member, deadline);
    }

    @Test
    void aCredentialIsClaimedOnceAndOnlyForItsRoom() {
        Member member = member();
        String token = resumptions.issue(new RoomName("r"), member);
        assertNull(resumptions.claim(token, new RoomName("other")));
        assertEquals(member, ((Resumptions.Place) resumptions.claim(token, new RoomName("r"))).member());
        assertEquals(0, resumptions.size());
        String next = resumptions.issue(new RoomName("r"), member);
        assertNull(resumptions.claim(token, new RoomName("r")), "retired by the next one");
        assertEquals(member, ((Resumptions.Place) resumptions.claim(next, new RoomName("r"))).member());
    }

    @Test
    void aServerWithTheSameSecretThatDoesNotHoldTheMemberLetsItComeBackUnlessItLeft() {
        resumptions.secret = java.util.Optional.of("shared secret");
        resumptions.useConfiguredSecret();
        Member stays = member();
        Member leaves = member();
        String staying = resumptions.issue(new RoomName("r"), stays);
        String leaving = resumptions.issue(new RoomName("r"), leaves);
        resumptions.forget(leaves);
        assertNull(resumptions.claim(leaving, new RoomName("r")), "it left for good");

        Resumptions restarted = new Resumptions();
        assertNull(restarted.claim(staying, new RoomName("r")), "another secret");
        restarted.secret = java.util.Optional.of("shared secret");
        restarted.useConfiguredSecret();
        Resumptions.Returning back = (Resumptions.Returning) restarted.claim(staying, new RoomName("r"));
        assertEquals(new RoomName("r"), back.room());
        assertEquals(stays.peer(), back.peer());
        assertNull(restarted.claim(staying, new RoomName("other")));
        assertNull(restarted.claim(staying.substring(0, staying.length() - 2) + "AA", new RoomName("r")), "signature checked");
    }

    @Test
    void aParkedMemberThatWasRemovedExpiresAtOnceAndAConnectedOneStays() {
        Member parked = member();
        Member connected = member();
        resumptions.issue(new RoomName("r"), parked);
        resumptions.issue(new RoomName("r"), connected);
        park(parked, System.nanoTime() + 3_600_000_000_000L);
        parked.mailbox().end(Removal.KICKED);
        connected.mailbox().end(Removal.KICKED);
        List<Resumptions.Place> expired = resumptions.expire(System.nanoTime());
        assertEquals(List.of(parked), expired.stream().map(Resumptions.Place::member).toList(),
                "the endpoint forgets a connected member when its connection closes; the sweep forgets a parked one");
        assertEquals(List.of(), resumptions.expire(System.nanoTime()), "claimed once");
        assertEquals(1, resumptions.size());
    }

    @Test
    @Timeout(60)
    void aParkRacingTheClaimNeverMakesAValidTokenLookUsed() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Member member = member();
            String token = resumptions.issue(new RoomName("r"), member);
            CyclicBarrier start = new CyclicBarrier(2);
            Thread parker = new Thread(() -> {
                await(start);
                park(member, System.nanoTime() + 1_000_000_000L);
            });
            parker.start();
            await(start);
            assertNotNull(resumptions.claim(token, new RoomName("r")), "claim lost to a concurrent park in round " + i);
            parker.join();
            assertEquals(0, resumptions.size());
        }
    }

    @Test
    @Timeout(60)
    void aMemberParkedWhileTheSweepDropsItsEarlierParkingStillExpires() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Member member = member();
            resumptions.issue(new RoomName("r"), member);
            park(member, System.nanoTime() + 3_600_000_000_000L);
            // Resumed: the parking the sweep knows of is stale, and the member is connected again.
            member.mailbox().reattach(new RecordingOutbox(), Mailbox.RECEIVED_UNKNOWN);
            resumptions.issue(new RoomName("r"), member);
            CyclicBarrier start = new CyclicBarrier(2);
            Thread parker = new Thread(() -> {
                await(start);
                park(member, System.nanoTime() - 1);
            });
            parker.start();
            await(start);
            List<Resumptions.Place> first = resumptions.expire(System.nanoTime());
            parker.join();
            List<Resumptions.Place> second = resumptions.expire(System.nanoTime());
            assertEquals(1, first.size() + second.size(), "dropped again, or left parked for good, in round " + i);
            assertEquals(0, resumptions.size());
        }
    }

    @Test
    void aParkThatComesAfterAResumeTookTheMemberOverLeavesTheNewConnectionAlone() {
        Member member = member();
        Outbox dropped = member.mailbox().live();
        String token = resumptions.issue(new RoomName("r"), member);
        // The dropped connection's thread detaches it, then stalls before parking the member.
        assertTrue(member.mailbox().detach(dropped));
        // Meanwhile the client resumes on a new connection, as Membership.resume does it.
        Resumptions.Place claimed = (Resumptions.Place) resumptions.claim(token, new RoomName("r"));
        assertEquals(member, claimed.member());
        RecordingOutbox resumedOn = new RecordingOutbox();
        assertTrue(member.mailbox().reattach(resumedOn, Mailbox.RECEIVED_UNKNOWN));
        String next = resumptions.issue(new RoomName("r"), member);
        // The stalled thread goes on.
        resumptions.park(member, System.nanoTime() - 1);
        assertEquals(List.of(), resumptions.expire(System.nanoTime()), "the resumed member is connected, not parked");
        assertEquals(member, ((Resumptions.Place) resumptions.claim(next, new RoomName("r"))).member(),
                "its new credential still works");
    }

    @Test
    void aMemberThatLeftStaysRefusedAcrossSweepsAndTheConnectedAreLeftAlone() {
        Member connected = member();
        Member leaves = member();
        String stays = resumptions.issue(new RoomName("r"), connected);
        String leaving = resumptions.issue(new RoomName("r"), leaves);
        resumptions.forget(leaves);
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), resumptions.expire(System.nanoTime()));
        }
        assertNull(resumptions.claim(leaving, new RoomName("r")), "it left for good, until its credentials expire");
        assertEquals(connected, ((Resumptions.Place) resumptions.claim(stays, new RoomName("r"))).member());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
