package dev.rendezvous.room;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalRelayTest {

    private static final Outbox NOWHERE = new RecordingOutbox();
    private static final int ROOMS = 1000;
    private static final Relay.Wording WORDS = TestWording.INSTANCE;

    private final LocalRelay registry = new LocalRelay(WORDS);

    private static Mailbox mailbox() {
        return new Mailbox(NOWHERE, false);
    }

    private Member join(String room, String name, int maxPeers) {
        return assertInstanceOf(JoinResult.Joined.class, registry.join(new RoomName(room), name, mailbox(), maxPeers, ROOMS)).self();
    }

    @Test
    void membersAreListedInJoinOrderAndTheJoinerSeesOnlyEarlierOnes() {
        Member a = join("r", "a", 8);
        Member b = join("r", "b", 8);
        JoinResult.Joined third = assertInstanceOf(JoinResult.Joined.class, registry.join(new RoomName("r"), "c", mailbox(), 8, ROOMS));
        assertEquals(List.of(a.peer(), b.peer()), third.others());
        assertEquals(List.of(a, b, third.self()), registry.members(new RoomName("r")));
            }

    @Test
    void earlierMembersHearOfANewcomerAndTheRestOfADepartureOnce() {
        List<String> atA = new CopyOnWriteArrayList<>();
        List<String> atB = new CopyOnWriteArrayList<>();
        Member a = joined(registry.join(new RoomName("r"), "a", new Mailbox(new RecordingOutbox(atA), false), 8, ROOMS)).self();
        Member b = joined(registry.join(new RoomName("r"), "b", new Mailbox(new RecordingOutbox(atB), false), 8, ROOMS)).self();
        assertEquals(List.of("+" + b.id()), atA);
        assertEquals(List.of(), atB, "the newcomer learns of the others from its welcome, not from announcements");
        assertTrue(registry.leave(new RoomName("r"), b));
        assertFalse(registry.leave(new RoomName("r"), b));
        assertEquals(List.of("+" + b.id(), "-" + b.id()), atA);
    }

    @Test
    void aMessageReachesTheAddressedMemberOrEveryoneElseButNeverItsSender() {
        List<String> atA = new CopyOnWriteArrayList<>();
        List<String> atB = new CopyOnWriteArrayList<>();
        List<String> atC = new CopyOnWriteArrayList<>();
        Member a = joined(registry.join(new RoomName("r"), "a", new Mailbox(new RecordingOutbox(atA), false), 8, ROOMS)).self();
        Member b = joined(registry.join(new RoomName("r"), "b", new Mailbox(new RecordingOutbox(atB), false), 8, ROOMS)).self();
        Member c = joined(registry.join(new RoomName("r"), "c", new Mailbox(new RecordingOutbox(atC), false), 8, ROOMS)).self();
        atA.clear();
        atB.clear();
        assertTrue(registry.toMember(new RoomName("r"), a, b.id(), "to b"));
        assertFalse(registry.toMember(new RoomName("r"), a, a.id(), "to self"));
        assertFalse(registry.toMember(new RoomName("r"), a, "nobody", "to nobody"));
        assertFalse(registry.toMember(new RoomName("other"), a, b.id(), "wrong room"));
        registry.toOthers(new RoomName("r"), c, "from c");
        assertEquals(List.of("from c"), atA);
        assertEquals(List.of("to b", "from c"), atB);
        assertEquals(List.of(), atC);
        assertEquals(List.of(a.peer(), b.peer(), c.peer()), registry.peers(new RoomName("r")));
    }

    private static JoinResult.Joined joined(JoinResult result) {
        return assertInstanceOf(JoinResult.Joined.class, result);
    }

    @Test
    void joinBeyondCapacityIsRefusedAndNotAdded() {
        join("r", "a", 2);
        join("r", "b", 2);
        JoinResult.Full full = assertInstanceOf(JoinResult.Full.class, registry.join(new RoomName("r"), "c", mailbox(), 2, ROOMS));
        assertEquals(2, full.maxPeers());
        assertEquals(2, registry.members(new RoomName("r")).size());
    }

    @Test
    void aNewRoomBeyondTheRoomCapIsRefusedWhileExistingRoomsStillTakeMembers() {
        Member a = join("one", "a", 8);
        join("two", "b", 8);
        assertEquals(new JoinResult.TooManyRooms(2), registry.join(new RoomName("three"), "c", mailbox(), 8, 2));
        assertInstanceOf(JoinResult.Joined.class, registry.join(new RoomName("one"), "d", mailbox(), 8, 2));
        assertEquals(2, registry.roomCount());
        registry.leave(new RoomName("two"), registry.members(new RoomName("two")).get(0));
        assertInstanceOf(JoinResult.Joined.class, registry.join(new RoomName("three"), "c", mailbox(), 8, 2), "a closed room frees its place");
        assertEquals(3, IntStream.of(registry.membersPerRoom()).sum());
        assertNotNull(a);
    }

    @Test
    void concurrentJoinsIntoNewRoomsNeverExceedTheRoomCap() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JoinResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String room = "room" + i;
                results.add(pool.submit(() -> registry.join(new RoomName(room), "p", mailbox(), 8, 50)));
            }
            long joined = 0;
            for (Future<JoinResult> result : results) {
                joined += result.get(10, TimeUnit.SECONDS) instanceof JoinResult.Joined ? 1 : 0;
            }
            assertEquals(50, joined);
            assertEquals(50, registry.roomCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void leaveIsIdempotentAndTheLastLeaveRemovesTheRoom() {
        Member a = join("r", "a", 8);
        Member b = join("r", "b", 8);
        assertTrue(registry.leave(new RoomName("r"), a));
        assertFalse(registry.leave(new RoomName("r"), a), "a second leave reports nothing, so peer-left goes out once");
        assertEquals(List.of(b), registry.members(new RoomName("r")));
        assertTrue(registry.leave(new RoomName("r"), b));
        assertEquals(0, registry.roomCount());
        assertEquals(List.of(), registry.members(new RoomName("r")));
        assertFalse(registry.leave(new RoomName("r"), b));
    }

    @Test
    void aRemovedMemberLeavesOnceAndItsConnectionIsEndedWithTheReason() {
        RecordingOutbox atA = new RecordingOutbox();
        RecordingOutbox atB = new RecordingOutbox();
        RecordingOutbox atC = new RecordingOutbox();
        Member a = joined(registry.join(new RoomName("r"), "a", new Mailbox(atA, false), 8, ROOMS)).self();
        Member b = joined(registry.join(new RoomName("r"), "b", new Mailbox(atB, false), 8, ROOMS)).self();
        joined(registry.join(new RoomName("r"), "c", new Mailbox(atC, false), 8, ROOMS));
        atA.messages().clear();
        atB.messages().clear();

        assertTrue(registry.remove(new RoomName("r"), b.id(), Removal.KICKED));
        assertFalse(registry.remove(new RoomName("r"), b.id(), Removal.KICKED), "gone already");
        assertFalse(registry.leave(new RoomName("r"), b), "its own leave afterwards announces nothing");
        assertEquals(List.of("-" + b.id()), atA.messages());
        assertEquals(List.of("-" + b.id()), atC.messages());
        assertEquals(List.of(Removal.KICKED), atB.endings());
        assertEquals(List.of(), atB.messages(), "the removed member is told by its connection's end, not by a message");
        assertEquals(List.of(), atA.endings());
        registry.toOthers(new RoomName("r"), a, "after");
        assertEquals(List.of(), atB.messages(), "nothing reaches a removed member");
        // Its connection closes a moment later: what it sends meanwhile reaches nobody who heard it leave.
        registry.toOthers(new RoomName("r"), b, "from the removed");
        assertFalse(registry.toMember(new RoomName("r"), b, a.id(), "from the removed, to a"));
        assertEquals(List.of("-" + b.id()), atA.messages());
        assertEquals(List.of("-" + b.id(), "after"), atC.messages());
        assertFalse(registry.remove(new RoomName("r"), "nobody", Removal.KICKED));
        assertFalse(registry.remove(new RoomName("elsewhere"), a.id(), Removal.KICKED), "ids are looked up in the room named");
    }

    @Test
    void occupancyListsEveryRoomWithItsSizeByName() {
        join("b", "x", 8);
        join("a", "y", 8);
        Member z = join("a", "z", 8);
        assertEquals(new TreeMap<>(Map.of("a", 2, "b", 1)), registry.occupancy());
        registry.remove(new RoomName("a"), z.id(), Removal.ROOM_CLOSED);
        registry.remove(new RoomName("b"), registry.members(new RoomName("b")).get(0).id(), Removal.ROOM_CLOSED);
        assertEquals(Map.of("a", 1), registry.occupancy());
    }

    @Test
    void aMemberOfAnotherRoomWithTheSameIdCannotBeRemoved() {
        Member a = join("r", "a", 8);
        Member impostor = new Member(new Peer(a.id(), "x"), mailbox());
        assertFalse(registry.leave(new RoomName("r"), impostor));
        assertEquals(List.of(a), registry.members(new RoomName("r")));
    }

    @Test
    void displayNamesAreTrimmedStrippedOfControlCharactersAndCapped() {
        assertEquals("", Peer.cleanName(null));
        assertEquals("Ann", Peer.cleanName("  A\u0000n\u202En\n "));
        assertEquals("x".repeat(64), Peer.cleanName("x".repeat(100)));
        assertEquals("😀".repeat(64), Peer.cleanName("😀".repeat(65)));
    }

    @Test
    void unpairedSurrogatesAreDroppedFromDisplayNamesAndPairsKept() {
        assertEquals("xy", Peer.cleanName("x\ud800y"));
        assertEquals("Ann", Peer.cleanName("\udc00Ann\ud83d"));
        assertEquals("ab", Peer.cleanName("a\udc00\ud800b"));
        assertEquals("😀", Peer.cleanName("\ud83d\ude00"));
        assertTrue(Text.isWellFormed(Peer.cleanName("\ud800".repeat(70) + "z")));
    }

    @Test
    @Timeout(60)
    void concurrentJoinsNeverExceedCapacityAndTheRoomVanishesWhenEmpty() throws Exception {
        int threads = 16;
        int maxPeers = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                CyclicBarrier start = new CyclicBarrier(threads);
                ConcurrentLinkedQueue<Member> joined = new ConcurrentLinkedQueue<>();
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    work.add(pool.submit(() -> {
                        start.await();
                        if (registry.join(new RoomName("race"), "p", mailbox(), maxPeers, ROOMS) instanceof JoinResult.Joined j) {
                            joined.add(j.self());
                            assertTrue(registry.members(new RoomName("race")).size() <= maxPeers);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertEquals(maxPeers, joined.size());
                assertEquals(Set.copyOf(joined), Set.copyOf(registry.members(new RoomName("race"))));
                assertEquals(maxPeers, joined.stream().map(Member::id).distinct().count());

                CyclicBarrier leave = new CyclicBarrier(joined.size());
                ConcurrentLinkedQueue<Member> announced = new ConcurrentLinkedQueue<>();
                work.clear();
                for (Member m : joined) {
                    work.add(pool.submit(() -> {
                        leave.await();
                        // Two racing leaves for one member: exactly one reports it.
                        if (registry.leave(new RoomName("race"), m)) {
                            announced.add(m);
                        }
                        if (registry.leave(new RoomName("race"), m)) {
                            announced.add(m);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertEquals(joined.size(), announced.size());
                assertEquals(0, registry.roomCount(), "no room left behind after round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thousandsOfJoinLeaveCyclesLeaveNothingBehind() {
        for (int i = 0; i < 5_000; i++) {
            Member m = join("room" + (i % 50), "p", 8);
            assertTrue(registry.leave(new RoomName("room" + (i % 50)), m));
        }
        assertEquals(0, registry.roomCount());
    }

    @Test
    void membersPerRoomListsEachOpenRoomsSize() {
        join("a", "1", 8);
        join("a", "2", 8);
        Member alone = join("b", "1", 8);
        int[] sizes = registry.membersPerRoom();
        Arrays.sort(sizes);
        assertEquals(List.of(1, 2), Arrays.stream(sizes).boxed().toList());
        registry.leave(new RoomName("b"), alone);
        assertEquals(List.of(2), Arrays.stream(registry.membersPerRoom()).boxed().toList());
    }

    @Test
    void readyUntilClosed() {
        assertTrue(registry.ready());
        registry.close();
        assertFalse(registry.ready());
    }
}
