package dev.rendezvous.room;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
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
        return assertInstanceOf(JoinResult.Joined.class, registry.join(room, name, mailbox(), maxPeers, ROOMS)).self();
    }

    @Test
    void membersAreListedInJoinOrderAndTheJoinerSeesOnlyEarlierOnes() {
        Member a = join("r", "a", 8);
        Member b = join("r", "b", 8);
        JoinResult.Joined third = assertInstanceOf(JoinResult.Joined.class, registry.join("r", "c", mailbox(), 8, ROOMS));
        assertEquals(List.of(a.peer(), b.peer()), third.others());
        assertEquals(List.of(a, b, third.self()), registry.members("r"));
            }

    @Test
    void earlierMembersHearOfANewcomerAndTheRestOfADepartureOnce() {
        List<String> atA = new CopyOnWriteArrayList<>();
        List<String> atB = new CopyOnWriteArrayList<>();
        Member a = joined(registry.join("r", "a", new Mailbox(new RecordingOutbox(atA), false), 8, ROOMS)).self();
        Member b = joined(registry.join("r", "b", new Mailbox(new RecordingOutbox(atB), false), 8, ROOMS)).self();
        assertEquals(List.of("+" + b.id()), atA);
        assertEquals(List.of(), atB, "the newcomer learns of the others from its welcome, not from announcements");
        assertTrue(registry.leave("r", b));
        assertFalse(registry.leave("r", b));
        assertEquals(List.of("+" + b.id(), "-" + b.id()), atA);
    }

    @Test
    void aMessageReachesTheAddressedMemberOrEveryoneElseButNeverItsSender() {
        List<String> atA = new CopyOnWriteArrayList<>();
        List<String> atB = new CopyOnWriteArrayList<>();
        List<String> atC = new CopyOnWriteArrayList<>();
        Member a = joined(registry.join("r", "a", new Mailbox(new RecordingOutbox(atA), false), 8, ROOMS)).self();
        Member b = joined(registry.join("r", "b", new Mailbox(new RecordingOutbox(atB), false), 8, ROOMS)).self();
        Member c = joined(registry.join("r", "c", new Mailbox(new RecordingOutbox(atC), false), 8, ROOMS)).self();
        atA.clear();
        atB.clear();
        assertTrue(registry.toMember("r", a, b.id(), "to b"));
        assertFalse(registry.toMember("r", a, a.id(), "to self"));
        assertFalse(registry.toMember("r", a, "nobody", "to nobody"));
        assertFalse(registry.toMember("other", a, b.id(), "wrong room"));
        registry.toOthers("r", c, "from c");
        assertEquals(List.of("from c"), atA);
        assertEquals(List.of("to b", "from c"), atB);
        assertEquals(List.of(), atC);
        assertEquals(List.of(a.peer(), b.peer(), c.peer()), registry.peers("r"));
    }

    private static JoinResult.Joined joined(JoinResult result) {
        return assertInstanceOf(JoinResult.Joined.class, result);
    }

    @Test
    void joinBeyondCapacityIsRefusedAndNotAdded() {
        join("r", "a", 2);
        join("r", "b", 2);
        JoinResult.Full full = assertInstanceOf(JoinResult.Full.class, registry.join("r", "c", mailbox(), 2, ROOMS));
        assertEquals(2, full.maxPeers());
        assertEquals(2, registry.members("r").size());
    }

    @Test
    void aNewRoomBeyondTheRoomCapIsRefusedWhileExistingRoomsStillTakeMembers() {
        Member a = join("one", "a", 8);
        join("two", "b", 8);
        assertEquals(new JoinResult.TooManyRooms(2), registry.join("three", "c", mailbox(), 8, 2));
        assertInstanceOf(JoinResult.Joined.class, registry.join("one", "d", mailbox(), 8, 2));
        assertEquals(2, registry.roomCount());
        registry.leave("two", registry.members("two").get(0));
        assertInstanceOf(JoinResult.Joined.class, registry.join("three", "c", mailbox(), 8, 2), "a closed room frees its place");
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
                results.add(pool.submit(() -> registry.join(room, "p", mailbox(), 8, 50)));
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
        assertTrue(registry.leave("r", a));
        assertFalse(registry.leave("r", a), "a second leave reports nothing, so peer-left goes out once");
        assertEquals(List.of(b), registry.members("r"));
        assertTrue(registry.leave("r", b));
        assertEquals(0, registry.roomCount());
        assertEquals(List.of(), registry.members("r"));
        assertFalse(registry.leave("r", b));
    }

    @Test
    void aRemovedMemberLeavesOnceAndItsConnectionIsEndedWithTheReason() {
        RecordingOutbox atA = new RecordingOutbox();
        RecordingOutbox atB = new RecordingOutbox();
        RecordingOutbox atC = new RecordingOutbox();
        Member a = joined(registry.join("r", "a", new Mailbox(atA, false), 8, ROOMS)).self();
        Member b = joined(registry.join("r", "b", new Mailbox(atB, false), 8, ROOMS)).self();
        joined(registry.join("r", "c", new Mailbox(atC, false), 8, ROOMS));
        atA.messages().clear();
        atB.messages().clear();

        assertTrue(registry.remove("r", b.id(), Removal.KICKED));
        assertFalse(registry.remove("r", b.id(), Removal.KICKED), "gone already");
        assertFalse(registry.leave("r", b), "its own leave afterwards announces nothing");
        assertEquals(List.of("-" + b.id()), atA.messages());
        assertEquals(List.of("-" + b.id()), atC.messages());
        assertEquals(List.of(Removal.KICKED), atB.endings());
        assertEquals(List.of(), atB.messages(), "the removed member is told by its connection's end, not by a message");
        assertEquals(List.of(), atA.endings());
        registry.toOthers("r", a, "after");
        assertEquals(List.of(), atB.messages(), "nothing reaches a removed member");
        assertFalse(registry.remove("r", "nobody", Removal.KICKED));
        assertFalse(registry.remove("elsewhere", a.id(), Removal.KICKED), "ids are looked up in the room named");
    }

    @Test
    void occupancyListsEveryRoomWithItsSizeByName() {
        join("b", "x", 8);
        join("a", "y", 8);
        Member z = join("a", "z", 8);
        assertEquals(new TreeMap<>(Map.of("a", 2, "b", 1)), registry.occupancy());
        registry.remove("a", z.id(), Removal.ROOM_CLOSED);
        registry.remove("b", registry.members("b").get(0).id(), Removal.ROOM_CLOSED);
        assertEquals(Map.of("a", 1), registry.occupancy());
    }

    @Test
    void aMemberOfAnotherRoomWithTheSameIdCannotBeRemoved() {
        Member a = join("r", "a", 8);
        Member impostor = new Member(new Peer(a.id(), "x"), mailbox());
        assertFalse(registry.leave("r", impostor));
        assertEquals(List.of(a), registry.members("r"));
    }

    @Test
    void idsAreUnguessableUrlSafeAndUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = LocalRelay.newPeerId();
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
            assertTrue(ids.add(id));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "a", "Room_1-x", "0123456789012345678901234567890123456789012345678901234567890123"})
    void validRoomNames(String name) {
        assertTrue(LocalRelay.isValidRoomName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a/b", "ä", "room.1", "x%20",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void invalidRoomNames(String name) {
        assertFalse(LocalRelay.isValidRoomName(name));
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
                        if (registry.join("race", "p", mailbox(), maxPeers, ROOMS) instanceof JoinResult.Joined j) {
                            joined.add(j.self());
                            assertTrue(registry.members("race").size() <= maxPeers);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertEquals(maxPeers, joined.size());
                assertEquals(Set.copyOf(joined), Set.copyOf(registry.members("race")));
                assertEquals(maxPeers, joined.stream().map(Member::id).distinct().count());

                CyclicBarrier leave = new CyclicBarrier(joined.size());
                ConcurrentLinkedQueue<Member> announced = new ConcurrentLinkedQueue<>();
                work.clear();
                for (Member m : joined) {
                    work.add(pool.submit(() -> {
                        leave.await();
                        // Two racing leaves for one member: exactly one reports it.
                        if (registry.leave("race", m)) {
                            announced.add(m);
                        }
                        if (registry.leave("race", m)) {
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
            assertTrue(registry.leave("room" + (i % 50), m));
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
        registry.leave("b", alone);
        assertEquals(List.of(2), Arrays.stream(registry.membersPerRoom()).boxed().toList());
    }

    @Test
    void readyUntilClosed() {
        assertTrue(registry.ready());
        registry.close();
        assertFalse(registry.ready());
    }
}
