package dev.rendezvous.cluster;

import dev.rendezvous.room.RoomName;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.RecordingOutbox;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.TestWording;
import dev.rendezvous.room.Removal;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grid relay between two real Hazelcast members in this JVM (loopback, TCP/IP discovery, no
 * multicast): racing joins and leaves on both nodes, presence as every member sees it, and a node
 * that goes away.
 */
@Timeout(180)
class HazelcastRelayTest {

    private static final Relay.Wording WORDS = TestWording.INSTANCE;
    private static final int PORT_A = Integer.getInteger("test.hazelcast.port.a", 16411);
    private static final int PORT_B = Integer.getInteger("test.hazelcast.port.b", 16412);

    private static HazelcastInstance gridA;
    private static HazelcastInstance gridB;
    private static Relay relayA;
    private static Relay relayB;

    @BeforeAll
    static void formCluster() {
        String name = "relay-test-" + UUID.randomUUID();
        gridA = Hazelcast.newHazelcastInstance(config(name, PORT_A));
        gridB = Hazelcast.newHazelcastInstance(config(name, PORT_B));
        await(() -> gridA.getCluster().getMembers().size() == 2 && gridB.getCluster().getMembers().size() == 2);
        relayA = HazelcastRelay.start(gridA, WORDS);
        relayB = HazelcastRelay.start(gridB, WORDS);
    }

    private static Config config(String clusterName, int port) {
        Config config = new Config().setClusterName(clusterName).setProperty("hazelcast.phone.home.enabled", "false")
                .setProperty("hazelcast.socket.bind.any", "false").setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + PORT_A).addMember("127.0.0.1:" + PORT_B);
        return config;
    }

    @AfterAll
    static void stop() {
        for (HazelcastInstance grid : new HazelcastInstance[] {gridA, gridB}) {
            if (grid != null) {
                grid.getLifecycleService().terminate();
            }
        }
    }

    /** A member as a test client sees it, and through which node: its welcome's peers, then every message in order. */
    private record Seen(Relay relay, Member member, List<Peer> welcomed, List<String> messages, RecordingOutbox connection) {

        /** Who this member believes is in the room besides itself, failing on a duplicate or unknown announcement. */
        Set<String> others() {
            Set<String> others = new HashSet<>();
            welcomed.forEach(p -> assertTrue(others.add(p.peer())));
            for (String message : messages) {
                String id = message.substring(1);
                if (message.startsWith("+")) {
                    assertTrue(others.add(id), () -> member.id() + " heard twice that " + id + " joined: " + messages);
                } else if (message.startsWith("-")) {
                    assertTrue(others.remove(id), () -> member.id() + " heard " + id + " left, never having known it: " + messages);
                }
            }
            return others;
        }
    }

    /** Joins through {@code relay}; {@code null} if refused. */
    private static Seen join(Relay relay, String room, int maxPeers) {
        RecordingOutbox connection = new RecordingOutbox();
        JoinResult result = relay.join(new RoomName(room), "p", new Mailbox(connection, false), maxPeers, 1000);
        return result instanceof JoinResult.Joined joined
                ? new Seen(relay, joined.self(), joined.others(), connection.messages(), connection) : null;
    }

    private static boolean leave(String room, Seen seen) {
        return seen.relay().leave(new RoomName(room), seen.member());
    }

    @Test
    void racingJoinsOnBothNodesNeverOverfillARoomAndEveryMemberHearsOfEveryOtherExactlyOnce() throws Exception {
        int threads = 12;
        int maxPeers = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 30; round++) {
                String room = "race-" + round;
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Seen>> attempts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Relay relay = t % 2 == 0 ? relayA : relayB;
                    attempts.add(pool.submit(() -> {
                        start.await();
                        return join(relay, room, maxPeers);
                    }));
                }
                List<Seen> joined = new ArrayList<>();
                for (Future<Seen> attempt : attempts) {
                    Seen seen = attempt.get(60, TimeUnit.SECONDS);
                    if (seen != null) {
                        joined.add(seen);
                    }
                }
                assertEquals(maxPeers, joined.size(), "round " + round);
                Set<String> ids = new HashSet<>();
                joined.forEach(seen -> ids.add(seen.member().id()));
                await(() -> joined.stream().allMatch(seen -> seen.messages().size() == maxPeers - 1 - seen.welcomed().size()));
                for (Seen seen : joined) {
                    Set<String> expected = new HashSet<>(ids);
                    expected.remove(seen.member().id());
                    assertEquals(expected, seen.others(), "round " + round);
                }

                // Two leave at once, from both nodes when members joined on both; the rest hear of
                // each departure exactly once.
                Seen first = joined.get(0);
                Seen second = joined.stream().filter(seen -> seen.relay() != first.relay()).findFirst().orElse(joined.get(1));
                CyclicBarrier leave = new CyclicBarrier(2);
                Future<Boolean> firstLeft = pool.submit(() -> {
                    leave.await();
                    return leave(room, first);
                });
                Future<Boolean> secondLeft = pool.submit(() -> {
                    leave.await();
                    return leave(room, second);
                });
                assertTrue(firstLeft.get(30, TimeUnit.SECONDS));
                assertTrue(secondLeft.get(30, TimeUnit.SECONDS));
                List<Seen> stayed = joined.stream().filter(seen -> seen != first && seen != second).toList();
                for (Seen seen : stayed) {
                    await(() -> seen.messages().stream().filter(m -> m.startsWith("-")).count() == 2);
                    assertEquals(maxPeers - 3, seen.others().size());
                }
                for (Seen seen : stayed) {
                    assertTrue(leave(room, seen));
                    assertFalse(leave(room, seen), "leave is idempotent");
                }
                assertEquals(List.of(), relayA.peers(new RoomName(room)), "the roster is gone with its last member");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, relayA.roomCount());
        assertEquals(0, relayB.roomCount());
    }

    @Test
    void signalsCrossNodesInOrderAndReachOnlyTheirAddressees() {
        Seen a = join(relayA, "order", 8);
        Seen b = join(relayB, "order", 8);
        Seen c = join(relayB, "order", 8);
        await(() -> a.messages().size() == 2 && b.messages().size() == 1);
        a.messages().clear();
        b.messages().clear();
        for (int i = 0; i < 500; i++) {
            assertTrue(relayA.toMember(new RoomName("order"), a.member(), b.member().id(), "to b " + i));
            relayA.toOthers(new RoomName("order"), a.member(), "to all " + i);
        }
        assertFalse(relayA.toMember(new RoomName("order"), a.member(), "nobody", "lost"), "an unknown id is refused");
        await(() -> b.messages().size() == 1000 && c.messages().size() == 500);
        List<String> expectedAtB = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expectedAtB.add("to b " + i);
            expectedAtB.add("to all " + i);
        }
        assertEquals(expectedAtB, b.messages());
        assertTrue(c.messages().stream().allMatch(m -> m.startsWith("to all ")));
        assertTrue(a.messages().isEmpty(), "the sender never hears itself");
        List.of(a, b, c).forEach(seen -> leave("order", seen));
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }

    @Test
    void aMemberRemovedThroughOneNodeIsEndedByTheNodeHoldingItAndEveryoneElseHearsItLeftOnce() {
        Seen a = join(relayA, "kick", 8);
        Seen b = join(relayB, "kick", 8);
        Seen c = join(relayB, "kick", 8);
        Seen d = join(relayA, "kick", 8);
        await(() -> a.messages().size() == 3 && b.messages().size() == 2 && c.messages().size() == 1);
        List.of(a, b, c, d).forEach(seen -> seen.messages().clear());

        assertTrue(relayA.remove(new RoomName("kick"), b.member().id(), Removal.KICKED), "held by the other node");
        await(() -> !b.connection().endings().isEmpty());
        assertEquals(List.of(Removal.KICKED), b.connection().endings());
        assertFalse(leave("kick", b), "its membership is over already");
        // A signal sent after the removal, from each node, arrives after any announcement of it.
        relayB.toOthers(new RoomName("kick"), c.member(), "after on B");
        relayA.toOthers(new RoomName("kick"), d.member(), "after on A");
        String left = "-" + b.member().id();
        await(() -> a.messages().size() == 3 && c.messages().size() == 2 && d.messages().size() == 2);
        assertEquals(List.of(left, "after on B"), a.messages().stream().filter(m -> !m.equals("after on A")).toList());
        assertEquals(List.of(left, "after on A"), c.messages());
        assertEquals(List.of(left, "after on B"), d.messages());
        assertEquals(List.of(), b.messages());
        assertEquals(List.of(a.member().peer(), c.member().peer(), d.member().peer()), relayB.peers(new RoomName("kick")));

        assertTrue(relayB.remove(new RoomName("kick"), a.member().id(), Removal.ROOM_CLOSED), "the other way round");
        assertTrue(relayB.remove(new RoomName("kick"), c.member().id(), Removal.ROOM_CLOSED), "on its own node");
        assertEquals(List.of(Removal.ROOM_CLOSED), c.connection().endings(), "a member of its own node is ended at once");
        await(() -> !a.connection().endings().isEmpty() && relayA.peers(new RoomName("kick")).size() == 1);
        assertEquals(List.of(Removal.ROOM_CLOSED), a.connection().endings());
        assertFalse(relayA.remove(new RoomName("kick"), "nobody", Removal.KICKED));
        assertFalse(relayB.remove(new RoomName("kick"), a.member().id(), Removal.KICKED), "gone from the roster");
        assertTrue(leave("kick", d));
    }

    @Test
    void occupancyCountsEveryRoomOfTheClusterOnEveryNode() {
        Seen onlyOnB = join(relayB, "only-b", 8);
        Seen a = join(relayA, "both", 8);
        Seen b1 = join(relayB, "both", 8);
        Seen b2 = join(relayB, "both", 8);
        for (Relay relay : List.of(relayA, relayB)) {
            assertEquals(1, relay.occupancy().get("only-b"));
            assertEquals(3, relay.occupancy().get("both"));
        }
        leave("only-b", onlyOnB);
        leave("both", b1);
        assertFalse(relayA.occupancy().containsKey("only-b"), "a room is gone with its last member");
        assertEquals(2, relayA.occupancy().get("both"));
        List.of(a, b2).forEach(seen -> leave("both", seen));
    }

    @Test
    void joinsAreRefusedWithTheRoomsCapacity() {
        int roomsOnB = relayB.roomCount();
        Seen a = join(relayA, "cap", 1);
        JoinResult refused = relayB.join(new RoomName("cap"), "x", new Mailbox(new RecordingOutbox(), false), 1, 1000);
        assertEquals(1, assertInstanceOf(JoinResult.Full.class, refused).maxPeers());
        assertEquals(roomsOnB, relayB.roomCount(), "a refused join leaves no room behind");
        assertTrue(leave("cap", a));
    }

    @Test
    void eachNodeCountsOnlyItsOwnMembersOfARoom() {
        String room = "sizes-" + UUID.randomUUID();
        List<Seen> members = List.of(join(relayA, room, 8), join(relayA, room, 8), join(relayB, room, 8));
        assertTrue(contains(relayA.membersPerRoom(), 2) && !contains(relayA.membersPerRoom(), 3));
        assertTrue(contains(relayB.membersPerRoom(), 1));
        members.forEach(seen -> leave(room, seen));
    }

    private static boolean contains(int[] sizes, int size) {
        return Arrays.stream(sizes).anyMatch(s -> s == size);
    }

    @Test
    void aRelayIsReadyOnlyWhileItsGridMemberRuns() {
        HazelcastInstance alone = Hazelcast.newHazelcastInstance(config("relay-alone-" + UUID.randomUUID(), 16403));
        Relay relay = HazelcastRelay.start(alone, WORDS);
        assertTrue(relay.ready());
        alone.getLifecycleService().terminate();
        assertFalse(relay.ready());
    }
}
