package dev.rendezvous.cluster;

import dev.rendezvous.room.RoomName;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.RecordingOutbox;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.TestWording;
import dev.rendezvous.room.Removal;
import dev.rendezvous.room.Resumptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grid relay between real Hazelcast members in this JVM (loopback, TCP/IP discovery, no
 * multicast): racing joins and leaves on two nodes, presence as every member sees it, a member that
 * resumes on another node than the one holding it (with a third node sending to it meanwhile), and
 * a node that goes away.
 */
@Timeout(180)
class HazelcastRelayTest {

    private static final Relay.Wording WORDS = TestWording.INSTANCE;
    private static final Duration GRACE = Duration.ofSeconds(2);

    /** Grid ports of the members this test starts (the last only for a while, in one test). */
    private static final int[] PORTS = {
            Integer.getInteger("test.hazelcast.port.a", 16411), Integer.getInteger("test.hazelcast.port.b", 16412),
            Integer.getInteger("test.hazelcast.port.c", 16413), Integer.getInteger("test.hazelcast.port.d", 16414)};

    private static String clusterName;
    private static HazelcastInstance gridA;
    private static HazelcastInstance gridB;
    private static HazelcastInstance gridC;
    private static final Resumptions RESUMPTIONS_A = new Resumptions();
    private static final Resumptions RESUMPTIONS_B = new Resumptions();
    private static final Resumptions RESUMPTIONS_C = new Resumptions();
    private static Relay relayA;
    private static Relay relayB;
    private static Relay relayC;

    @BeforeAll
    static void formCluster() {
        clusterName = "relay-test-" + UUID.randomUUID();
        gridA = Hazelcast.newHazelcastInstance(config(clusterName, PORTS[0]));
        gridB = Hazelcast.newHazelcastInstance(config(clusterName, PORTS[1]));
        gridC = Hazelcast.newHazelcastInstance(config(clusterName, PORTS[2]));
        await(() -> List.of(gridA, gridB, gridC).stream().allMatch(grid -> grid.getCluster().getMembers().size() == 3));
        relayA = HazelcastRelay.start(gridA, WORDS, RESUMPTIONS_A, GRACE);
        relayB = HazelcastRelay.start(gridB, WORDS, RESUMPTIONS_B, GRACE);
        relayC = HazelcastRelay.start(gridC, WORDS, RESUMPTIONS_C, GRACE);
    }

    private static Config config(String clusterName, int port) {
        Config config = new Config().setClusterName(clusterName).setProperty("hazelcast.phone.home.enabled", "false")
                .setProperty("hazelcast.socket.bind.any", "false").setProperty("hazelcast.logging.type", "jdk")
                .setProperty("hazelcast.shutdownhook.enabled", "false");
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        for (int member : PORTS) {
            join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + member);
        }
        return config;
    }

    @AfterAll
    static void stop() {
        for (HazelcastInstance grid : new HazelcastInstance[] {gridA, gridB, gridC}) {
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
        return join(relay, room, maxPeers, false);
    }

    /** Joins through {@code relay}, its mailbox keeping a window for resume when {@code resumable}; {@code null} if refused. */
    private static Seen join(Relay relay, String room, int maxPeers, boolean resumable) {
        RecordingOutbox connection = new RecordingOutbox();
        JoinResult result = relay.join(new RoomName(room), "p", new Mailbox(connection, resumable), maxPeers, 1000);
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
        await(condition, () -> "");
    }

    /** Waits up to 60 s for {@code condition}; a failure says what {@code state} says then. */
    private static void await(BooleanSupplier condition, Supplier<String> state) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertTrue(condition.getAsBoolean(), state));
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
        // What the removed member sends before its connection closes reaches nobody.
        relayB.toOthers(new RoomName("kick"), b.member(), "from the removed");
        assertFalse(relayB.toMember(new RoomName("kick"), b.member(), a.member().id(), "from the removed, to a"));
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
        // Removed for good: no node takes a removed member back, whichever held it.
        for (Seen removed : List.of(a, b, c)) {
            for (Relay node : List.of(relayA, relayB, relayC)) {
                assertInstanceOf(JoinResult.Taken.class, node.rejoin(new RoomName("kick"), removed.member().peer(), 0, 0,
                        new Mailbox(new RecordingOutbox(), true), 8, 1000), "a removed member resumed");
            }
        }
        assertEquals(List.of(d.member().peer()), relayC.peers(new RoomName("kick")));
        assertTrue(leave("kick", d));
    }

    /**
     * An administrator removes a member whose node has left the grid: it is off the roster at once,
     * everyone hears it left once (not again when the grace runs out), and it resumes nowhere.
     */
    @Test
    void aMemberOfANodeThatLeftTheGridIsRemovedAtOnceAndResumesNowhere() throws InterruptedException {
        HazelcastInstance gridD = Hazelcast.newHazelcastInstance(config(clusterName, PORTS[3]));
        try {
            await(() -> gridA.getCluster().getMembers().size() == 4);
            Relay relayD = HazelcastRelay.start(gridD, WORDS, new Resumptions(), GRACE);
            String room = "removed-" + UUID.randomUUID();
            RoomName name = new RoomName(room);
            Seen a = join(relayA, room, 8);
            Seen d = join(relayD, room, 8, true);
            Seen b = join(relayB, room, 8);
            await(() -> a.messages().size() == 2 && d.messages().size() == 1);

            gridD.getLifecycleService().terminate();
            await(() -> List.of(gridA, gridB, gridC).stream().allMatch(grid -> grid.getCluster().getMembers().size() == 3));
            assertTrue(relayA.remove(name, d.member().id(), Removal.KICKED));
            List<Peer> stay = List.of(a.member().peer(), b.member().peer());
            assertEquals(stay, relayA.peers(name), "off the roster at once, not when the grace runs out");
            assertEquals(stay, relayC.peers(name));
            String left = "-" + d.member().id();
            await(() -> a.messages().contains(left) && b.messages().contains(left));
            for (Relay node : List.of(relayA, relayB, relayC)) {
                assertInstanceOf(JoinResult.Taken.class, node.rejoin(name, d.member().peer(), 0, 0,
                        new Mailbox(new RecordingOutbox(), true), 8, 1000), "the removed member resumed");
            }
            assertFalse(relayB.remove(name, d.member().id(), Removal.KICKED), "removed already");

            // Past the grace, the sweep of the departed node finds nothing more to announce.
            Thread.sleep(GRACE.toMillis() + 1000);
            for (Seen stays : List.of(a, b)) {
                assertEquals(1, stays.messages().stream().filter(left::equals).count(), "announced once: " + stays.messages());
            }
            assertEquals(stay, relayB.peers(name));
            for (Seen stays : List.of(a, b)) {
                assertTrue(stays.relay().leave(name, stays.member()));
            }
        } finally {
            gridD.getLifecycleService().terminate();
        }
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
        Relay relay = HazelcastRelay.start(alone, WORDS, new Resumptions(), GRACE);
        assertTrue(relay.ready());
        alone.getLifecycleService().terminate();
        assertFalse(relay.ready());
    }

    /**
     * The member's connection to the node holding it dropped: it is parked there for a minute, and
     * the serial of the credential it resumes with is returned.
     */
    private static long dropped(RoomName name, Member held, RecordingOutbox connection, Resumptions holder) {
        long serial = serialOf(holder.issue(name, held));
        held.mailbox().detach(connection);
        holder.park(held, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
        return serial;
    }

    /** The member resumes through {@code to} on {@code connection}, its client having received {@code received} messages. */
    private static JoinResult.Resumed resume(Relay to, RoomName name, Member held, long serial, long received, RecordingOutbox connection) {
        return assertInstanceOf(JoinResult.Resumed.class, to.rejoin(name, held.peer(), serial, received, new Mailbox(connection, true), 8, 1000));
    }

    /** The serial a credential carries (its holder can read it; only the signature is secret). */
    private static long serialOf(String credential) {
        String payload = new String(Base64.getUrlDecoder().decode(credential.split("\\.")[1]), StandardCharsets.UTF_8);
        return Long.parseLong(payload.split("\n", 5)[2]);
    }

    /** The numbers of the signals {@code sender} sent, in the order {@code messages} holds them. */
    private static List<Integer> numbersFrom(Seen sender, List<String> messages) {
        String prefix = "s:" + sender.member().id() + ":";
        return messages.stream().filter(m -> m.startsWith(prefix)).map(m -> Integer.parseInt(m.substring(prefix.length()))).toList();
    }

    private static boolean heardOf(Seen seen, String id) {
        return seen.messages().contains("+" + id) || seen.messages().contains("-" + id);
    }

    @Test
    void aMemberResumingOnAnotherNodeKeepsItsPlaceAndGetsEverySignalOnceInOrderWhileNobodyHearsItMove() throws Exception {
        String room = "move-" + UUID.randomUUID();
        RoomName name = new RoomName(room);
        Seen x = join(relayA, room, 8, true);
        Seen y = join(relayB, room, 8);
        Seen z = join(relayA, room, 8);
        Seen w = join(relayC, room, 8);
        await(() -> x.messages().size() == 3 && y.messages().size() == 2 && z.messages().size() == 1);
        long serial = serialOf(RESUMPTIONS_A.issue(name, x.member()));

        // A member of each node sends x numbered signals, addressed and to the room, before, while and after it moves.
        int count = 100;
        CountDownLatch underWay = new CountDownLatch(3);
        ExecutorService senders = Executors.newFixedThreadPool(3);
        List<Future<?>> sending = new ArrayList<>();
        for (Seen sender : List.of(y, z, w)) {
            sending.add(senders.submit(() -> {
                for (int i = 0; i < count; i++) {
                    String signal = "s:" + sender.member().id() + ":" + i;
                    if (i % 2 == 0) {
                        assertTrue(sender.relay().toMember(name, sender.member(), x.member().id(), signal));
                    } else {
                        sender.relay().toOthers(name, sender.member(), signal);
                    }
                    if (i == count / 4) {
                        underWay.countDown();
                    }
                    Thread.sleep(i % 10 == 0 ? 2 : 0);
                }
                return null;
            }));
        }
        try {
            underWay.await(60, TimeUnit.SECONDS);
            x.member().mailbox().detach(x.connection());
            RESUMPTIONS_A.park(x.member(), System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
            long received = x.messages().size();
            Seen v = join(relayC, room, 8);
            RecordingOutbox back = new RecordingOutbox();
            JoinResult result = relayB.rejoin(name, x.member().peer(), serial, received, new Mailbox(back, true), 8, 1000);
            JoinResult.Resumed resumed = assertInstanceOf(JoinResult.Resumed.class, result);
            assertFalse(resumed.lost(), "the node that held it handed over what it missed");
            assertEquals(x.member().peer(), resumed.self().peer());
            assertEquals(List.of(y.member().peer(), z.member().peer(), w.member().peer(), v.member().peer()), resumed.others());
            for (Future<?> sender : sending) {
                sender.get(60, TimeUnit.SECONDS);
            }
            assertTrue(relayC.leave(name, v.member()));

            List<String> stream = new ArrayList<>(x.messages());
            await(() -> numbersFrom(y, back.messages()).size() + numbersFrom(z, back.messages()).size()
                    + numbersFrom(w, back.messages()).size() + numbersFrom(y, stream).size() + numbersFrom(z, stream).size()
                    + numbersFrom(w, stream).size() == 3 * count && back.messages().contains("-" + v.member().id()),
                    () -> "old " + stream + "\nnew " + back.messages() + "\nv " + v.member().id());
            stream.addAll(back.messages());
            List<Integer> all = IntStream.range(0, count).boxed().toList();
            for (Seen sender : List.of(y, z, w)) {
                assertEquals(all, numbersFrom(sender, stream), () -> "from " + sender.member().id() + ": each once, in order");
            }
            Seen moved = new Seen(relayB, resumed.self(), x.welcomed(), stream, back);
            assertEquals(Set.of(y.member().id(), z.member().id(), w.member().id()), moved.others(), "presence once each across the move");
            for (Seen other : List.of(y, z, w)) {
                assertFalse(heardOf(other, x.member().id()), "nobody hears it leave or join");
            }
            List<Peer> order = List.of(x.member().peer(), y.member().peer(), z.member().peer(), w.member().peer());
            for (Relay relay : List.of(relayA, relayB, relayC)) {
                assertEquals(order, relay.peers(name), "same place in join order on every node");
            }
            assertTrue(relayA.toMember(name, z.member(), x.member().id(), "after"));
            await(() -> back.messages().contains("after"));
            assertFalse(relayA.leave(name, x.member()), "the node it left no longer holds it");

            for (Seen stays : List.of(y, z, w)) {
                assertTrue(stays.relay().leave(name, stays.member()));
            }
            assertTrue(relayB.leave(name, resumed.self()));
            await(() -> relayA.roomCount() == 0 && relayB.roomCount() == 0 && relayC.roomCount() == 0);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void aMemberThatMovedMovesAgainWithWhatItMissedEachTime() {
        String room = "twice-" + UUID.randomUUID();
        RoomName name = new RoomName(room);
        Seen x = join(relayA, room, 8, true);
        Seen y = join(relayC, room, 8);
        await(() -> x.messages().size() == 1);

        // A rolling restart: the node holding x stops, x resumes on B; then B stops, x resumes on C.
        // Each time something is sent to x while it moves.
        RecordingOutbox now = x.connection();
        Member held = x.member();
        Resumptions from = RESUMPTIONS_A;
        Relay there = relayA;
        int received = x.messages().size();
        List<String> stream = new ArrayList<>(x.messages());
        for (Relay to : List.of(relayB, relayC)) {
            long serial = dropped(name, held, now, from);
            String missed = "missed on the way to " + (to == relayB ? "B" : "C");
            assertTrue(relayC.toMember(name, y.member(), held.id(), missed));
            RecordingOutbox back = new RecordingOutbox();
            JoinResult.Resumed resumed = resume(to, name, held, serial, received, back);
            assertFalse(resumed.lost(), "the node that held it handed over what it missed, on move " + (to == relayB ? 1 : 2));
            await(() -> back.messages().contains(missed));
            assertFalse(there.leave(name, held), "the node it left no longer holds it");
            stream.addAll(back.messages());
            received = back.messages().size(); // a client counts from its latest welcome
            held = resumed.self();
            now = back;
            from = to == relayB ? RESUMPTIONS_B : RESUMPTIONS_C;
            there = to;
        }
        assertEquals(List.of("missed on the way to B", "missed on the way to C"),
                stream.stream().filter(m -> m.startsWith("missed")).toList(), "each once, in order");
        assertFalse(heardOf(y, x.member().id()), "nobody hears it leave or join");
        assertTrue(relayC.leave(name, held));
        await(() -> y.messages().contains("-" + x.member().id()));
        assertTrue(relayC.leave(name, y.member()));
    }

    @Test
    void aSignalStillOnItsWayThroughTheFirstNodeReachesAMemberThatMovedTwice() {
        String room = "chain-" + UUID.randomUUID();
        RoomName name = new RoomName(room);
        Seen x = join(relayA, room, 8, true);
        Seen y = join(relayC, room, 8);
        await(() -> x.messages().size() == 1);

        // x moves from A to B while C does not yet hear of it: y's signal to x still goes to A, which
        // holds it until x has moved on to C. A passes it to B, and B, which x has left too, to C.
        RecordingOutbox onB = new RecordingOutbox();
        JoinResult.Resumed atB;
        Paused a = null;
        try {
            try (Paused c = new Paused(gridC)) {
                long serial = dropped(name, x.member(), x.connection(), RESUMPTIONS_A);
                atB = resume(relayB, name, x.member(), serial, x.messages().size(), onB);
                a = new Paused(gridA);
                assertTrue(relayC.toMember(name, y.member(), x.member().id(), "through A"));
            }
            long serial = dropped(name, atB.self(), onB, RESUMPTIONS_B);
            RecordingOutbox onC = new RecordingOutbox();
            JoinResult.Resumed atC = resume(relayC, name, atB.self(), serial, onB.messages().size(), onC);
            a.close();

            await(() -> onC.messages().contains("through A"), () -> "on B " + onB.messages() + ", on C " + onC.messages());
            assertEquals(List.of(), onB.messages(), "nothing reached x on B");
            assertTrue(relayC.toMember(name, y.member(), x.member().id(), "after"));
            await(() -> onC.messages().contains("after"));
            assertEquals(List.of("through A", "after"), onC.messages(), "once each, in order");
            assertFalse(heardOf(y, x.member().id()), "nobody hears it leave or join");
            assertTrue(relayC.leave(name, atC.self()));
            assertTrue(relayC.leave(name, y.member()));
        } finally {
            if (a != null) {
                a.close();
            }
        }
    }

    @Test
    void aMemberThatMovesOnBeforeEveryNodeHeardOfItsFirstMoveIsStillReachedFromTheNodeItFirstLeft() {
        HazelcastInstance gridD = Hazelcast.newHazelcastInstance(config(clusterName, PORTS[3]));
        Paused d = null;
        try {
            await(() -> gridA.getCluster().getMembers().size() == 4);
            Relay relayD = HazelcastRelay.start(gridD, WORDS, new Resumptions(), GRACE);
            String room = "onward-" + UUID.randomUUID();
            RoomName name = new RoomName(room);
            Seen x = join(relayA, room, 8, true);
            Seen z = join(relayA, room, 8);
            Seen w = join(relayD, room, 8);
            await(() -> x.messages().size() == 2 && z.messages().size() == 1);

            // D hears of neither move until both are over, so A still passes on what reaches it for x
            // when x moves on from B to C: A must switch its own route to C all the same.
            d = new Paused(gridD);
            RecordingOutbox onB = new RecordingOutbox();
            JoinResult.Resumed atB = resume(relayB, name, x.member(), dropped(name, x.member(), x.connection(), RESUMPTIONS_A),
                    x.messages().size(), onB);
            RecordingOutbox onC = new RecordingOutbox();
            JoinResult.Resumed atC = resume(relayC, name, atB.self(), dropped(name, atB.self(), onB, RESUMPTIONS_B),
                    onB.messages().size(), onC);
            d.close();

            // Once B passes on nothing more for x (every node switched, or the order limit ran out),
            // what z and w send still reaches it.
            relayB.drain(Routes.ORDER_LIMIT.plusSeconds(5));
            assertTrue(relayA.toMember(name, z.member(), x.member().id(), "from A"));
            assertTrue(relayD.toMember(name, w.member(), x.member().id(), "from D"));
            await(() -> onC.messages().containsAll(List.of("from A", "from D")), () -> "on C " + onC.messages());
            assertEquals(2, onC.messages().size(), "once each: " + onC.messages());
            assertFalse(heardOf(z, x.member().id()) || heardOf(w, x.member().id()), "nobody hears it leave or join");
            assertTrue(relayC.leave(name, atC.self()));
            assertTrue(relayA.leave(name, z.member()));
            assertTrue(relayD.leave(name, w.member()));
        } finally {
            if (d != null) {
                d.close();
            }
            gridD.getLifecycleService().terminate();
        }
    }

    /**
     * Holds a node's grid inbox: everything published to the node waits, in order, until closed.
     * A message of a kind the relay does not know (it logs and drops it) is published to the node's
     * topic, and a listener of this test's own holds the topic's one event thread on it.
     */
    private static final class Paused implements AutoCloseable {

        private final ITopic<String[]> topic;
        private final UUID registration;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch resumed = new CountDownLatch(1);

        Paused(HazelcastInstance grid) {
            topic = grid.getTopic("rendezvous-node-" + grid.getCluster().getLocalMember().getUuid());
            String marker = "test-pause-" + UUID.randomUUID();
            registration = topic.addMessageListener(message -> {
                if (message.getMessageObject()[0].equals(marker)) {
                    held.countDown();
                    try {
                        resumed.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            topic.publish(new String[] {marker});
            try {
                assertTrue(held.await(10, TimeUnit.SECONDS), "the node's inbox is held");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() {
            resumed.countDown();
            topic.removeMessageListener(registration);
        }
    }

    @Test
    void anIdHeldHereOrACredentialThatWasUsedDoesNotTakeAMemberOver() {
        String room = "held-" + UUID.randomUUID();
        RoomName name = new RoomName(room);
        Seen x = join(relayA, room, 8, true);
        Seen y = join(relayB, room, 8);
        await(() -> x.messages().size() == 1);
        long serial = serialOf(RESUMPTIONS_A.issue(name, x.member()));

        assertInstanceOf(JoinResult.Taken.class, relayA.rejoin(name, x.member().peer(), serial, 0, new Mailbox(new RecordingOutbox(), true), 8, 1000),
                "a live member of this node holds the id");
        assertInstanceOf(JoinResult.Taken.class, relayB.rejoin(name, x.member().peer(), serial + 1, 0, new Mailbox(new RecordingOutbox(), true), 8, 1000),
                "the node holding it refuses a credential it did not issue last");
        assertTrue(relayB.toMember(name, y.member(), x.member().id(), "still there"));
        await(() -> x.messages().contains("still there"));

        // Its old connection still open (not yet seen to drop): it is superseded.
        RecordingOutbox back = new RecordingOutbox();
        JoinResult.Resumed resumed = assertInstanceOf(JoinResult.Resumed.class,
                relayB.rejoin(name, x.member().peer(), serial, 2, new Mailbox(back, true), 8, 1000));
        assertEquals(1, x.connection().superseded());
        assertEquals(List.of(), back.messages(), "it had received everything");
        assertInstanceOf(JoinResult.Taken.class, relayC.rejoin(name, x.member().peer(), serial, 2, new Mailbox(new RecordingOutbox(), true), 8, 1000),
                "a credential works once, whichever node it is shown to");
        assertEquals(List.of(x.member().peer(), y.member().peer()), relayC.peers(name));
        assertFalse(heardOf(y, x.member().id()));
        assertTrue(relayB.leave(name, resumed.self()));
        await(() -> y.messages().contains("-" + x.member().id()));
        assertTrue(relayB.leave(name, y.member()));
    }

    @Test
    void membersOfANodeThatLeftTheGridKeepTheirPlacesForTheGraceAndOnlyThoseNotBackAreAnnouncedOnce() {
        HazelcastInstance gridD = Hazelcast.newHazelcastInstance(config(clusterName, PORTS[3]));
        try {
            await(() -> gridA.getCluster().getMembers().size() == 4);
            Relay relayD = HazelcastRelay.start(gridD, WORDS, new Resumptions(), GRACE);
            String room = "departed-" + UUID.randomUUID();
            RoomName name = new RoomName(room);
            Seen a = join(relayA, room, 8);
            Seen d1 = join(relayD, room, 8, true);
            Seen b = join(relayB, room, 8);
            Seen d2 = join(relayD, room, 8, true);
            await(() -> a.messages().size() == 3 && b.messages().size() == 1 && d1.messages().size() == 2);

            long terminated = System.nanoTime();
            gridD.getLifecycleService().terminate();
            RecordingOutbox back = new RecordingOutbox();
            JoinResult.Resumed resumed = assertInstanceOf(JoinResult.Resumed.class,
                    relayB.rejoin(name, d1.member().peer(), 0, 2, new Mailbox(back, true), 8, 1000));
            assertTrue(resumed.lost(), "its node is gone, and what it kept with it");
            assertEquals(List.of(a.member().peer(), b.member().peer(), d2.member().peer()), resumed.others(),
                    "the one not back yet keeps its place until the grace runs out");

            String left = "-" + d2.member().id();
            await(() -> a.messages().contains(left) && b.messages().contains(left) && back.messages().contains(left));
            Duration took = Duration.ofNanos(System.nanoTime() - terminated);
            assertTrue(took.compareTo(GRACE) >= 0, "announced after " + took.toMillis() + " ms, before the grace ran out");
            for (List<String> heard : List.of(a.messages(), b.messages(), back.messages())) {
                assertEquals(1, heard.stream().filter(left::equals).count(), "announced once: " + heard);
                assertFalse(heard.contains("-" + d1.member().id()), "the one that came back never left");
            }
            List<Peer> order = List.of(a.member().peer(), d1.member().peer(), b.member().peer());
            assertEquals(order, relayA.peers(name));
            assertEquals(order, relayB.peers(name));
            for (Seen stays : List.of(a, b)) {
                assertTrue(stays.relay().leave(name, stays.member()));
            }
            assertTrue(relayB.leave(name, resumed.self()));
        } finally {
            gridD.getLifecycleService().terminate();
        }
    }

    @Test
    void aStoppingNodeWaitsForItsParkedMembersToMoveButNoLongerThanItMay() throws Exception {
        String room = "drain-" + UUID.randomUUID();
        RoomName name = new RoomName(room);
        Seen x = join(relayA, room, 8, true);
        long serial = dropped(name, x.member(), x.connection(), RESUMPTIONS_A);

        long start = System.nanoTime();
        relayA.drain(Duration.ofMillis(300));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "it waited for the parked member");

        ExecutorService resuming = Executors.newSingleThreadExecutor();
        try {
            start = System.nanoTime();
            Future<JoinResult> back = resuming.submit(() -> {
                Thread.sleep(200);
                return relayB.rejoin(name, x.member().peer(), serial, 0, new Mailbox(new RecordingOutbox(), true), 8, 1000);
            });
            relayA.drain(Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "done once it moved, after " + took.toMillis() + " ms");
            JoinResult.Resumed resumed = assertInstanceOf(JoinResult.Resumed.class, back.get(30, TimeUnit.SECONDS));
            assertTrue(relayB.leave(name, resumed.self()));
        } finally {
            resuming.shutdownNow();
        }
    }
}
