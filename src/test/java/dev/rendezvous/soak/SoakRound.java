package dev.rendezvous.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rooms full of {@link SoakClient}s, driven phase by phase: everyone joins; each cycle everyone
 * signals everyone else in the room while some drop their sockets and resume, then a few leave
 * with {@code bye} and join afresh; at the end everyone leaves. Every phase ends with a barrier
 * (each client pings and reads up to its pong), after which the counts must match exactly.
 */
final class SoakRound {

    /** Signals each client sends each roommate per cycle. */
    static final int SIGNALS = 10;
    /** The share of clients that drop their socket and resume, per cycle. */
    static final double RESUMING = 0.2;
    /** One member leaves and rejoins in every this-many rooms per cycle. */
    static final int ROOMS_PER_REJOIN = 10;

    final Tally tally = new Tally();
    private final List<String> roomNames = new ArrayList<>();
    private final List<List<SoakClient>> rooms = new ArrayList<>();
    private final List<SoakClient> clients = new ArrayList<>();
    private final URI base;
    private final HttpClient http;
    private final ExecutorService pool;
    private final Random random;
    private final int roomSize;

    SoakRound(String prefix, int roomCount, int roomSize, URI base, HttpClient http, ExecutorService pool, long seed) {
        this.base = base;
        this.http = http;
        this.pool = pool;
        this.random = new Random(seed);
        this.roomSize = roomSize;
        Map<String, SoakClient> byPeer = new ConcurrentHashMap<>();
        for (int r = 0; r < roomCount; r++) {
            String name = prefix + "-" + r;
            roomNames.add(name);
            List<SoakClient> members = new ArrayList<>();
            for (int j = 0; j < roomSize; j++) {
                SoakClient client = new SoakClient(clients.size(), name, base, http, tally, byPeer);
                members.add(client);
                clients.add(client);
            }
            rooms.add(members);
        }
    }

    /** Every client's close, in order, once the server closes them all. */
    List<SoakSocket.Frame> awaitClosed() {
        return clients.stream().map(SoakClient::awaitClose).toList();
    }

    int clients() {
        return clients.size();
    }

    /** Joins room by room in order: each welcome lists the earlier members, who each hear of the later ones once. */
    void joinAll() {
        parallel(rooms, members -> {
            List<String> present = new ArrayList<>();
            for (SoakClient client : members) {
                assertEquals(present, client.join(), () -> client.name() + ": the welcome lists who is already in " + client.room);
                present.add(client.peer());
            }
        });
        barrier();
        for (List<SoakClient> members : rooms) {
            for (int j = 0; j < members.size(); j++) {
                List<String> later = members.subList(j + 1, members.size()).stream().map(SoakRound::joined).toList();
                assertEquals(later, members.get(j).takePresence(), members.get(j).name() + ": one peer-joined per later member");
            }
        }
    }

    /** One cycle: numbered signals between every pair while a share drops and resumes; then some leave and rejoin. */
    void cycle() {
        List<SoakClient> order = new ArrayList<>(clients);
        Collections.shuffle(order, random);
        Set<SoakClient> resuming = new HashSet<>(order.subList(0, (int) (clients.size() * RESUMING)));
        parallel(order, client -> {
            List<String> roommates = peersOf(roomOf(client), client);
            for (int k = 0; k < SIGNALS; k++) {
                if (k == SIGNALS / 2 && resuming.contains(client)) {
                    // The protocol replays what the server sent, not what the client sent: the pong
                    // proves the server relayed this client's signals before its socket drops.
                    client.ping();
                    client.awaitPong();
                    assertEquals(roommates, client.dropAndResume(), () -> client.name() + ": the resumed welcome lists the same roommates");
                }
                for (String roommate : roommates) {
                    client.signal(roommate);
                }
            }
            // The pong proves every signal above reached its recipient's outbox (or mailbox, if away).
            client.ping();
            client.awaitPong();
        });
        barrier();
        checkStreams();
        for (SoakClient client : clients) {
            assertEquals(List.of(), client.takePresence(), () -> client.name() + ": nobody came or went, whoever resumed");
        }
        rejoinSome();
    }

    private record Rejoin(List<SoakClient> members, SoakClient leaver) {
    }

    private void rejoinSome() {
        // Chosen before the tasks start, so the choices depend only on the round's seed.
        List<Rejoin> rejoins = new ArrayList<>();
        for (int r = random.nextInt(ROOMS_PER_REJOIN); r < rooms.size(); r += ROOMS_PER_REJOIN) {
            List<SoakClient> members = rooms.get(r);
            rejoins.add(new Rejoin(members, members.get(random.nextInt(members.size()))));
        }
        Map<SoakClient, List<String>> expected = new ConcurrentHashMap<>();
        parallel(rejoins, rejoin -> {
            List<SoakClient> members = rejoin.members();
            SoakClient leaver = rejoin.leaver();
            String departed = leaver.peer();
            leaver.bye();
            members.remove(leaver);
            assertEquals(peersOf(members, null), leaver.join(), () -> leaver.name() + ": the welcome after rejoining lists the others");
            for (SoakClient other : members) {
                other.forget(departed);
                expected.put(other, List.of("left:" + departed, joined(leaver)));
            }
            members.add(leaver);
            tally.rejoins.incrementAndGet();
        });
        barrier();
        for (SoakClient client : clients) {
            assertEquals(expected.getOrDefault(client, List.of()), client.takePresence(),
                    () -> client.name() + ": exactly one peer-left and one peer-joined per rejoin in its room");
        }
    }

    /** Everyone leaves with bye, room by room in join order: each hears exactly the earlier ones leave. */
    void leaveAll() {
        parallel(rooms, members -> {
            List<String> gone = new ArrayList<>();
            for (SoakClient client : members) {
                client.bye();
                assertEquals(gone, client.takePresence(), () -> client.name() + ": one peer-left per earlier leaver");
                gone.add("left:" + client.peer());
            }
        });
    }

    /** A fresh client in each room this round used is alone there: nobody, resumed or parked, was left behind. */
    void assertRoomsEmpty() {
        Tally probes = new Tally();
        Map<String, SoakClient> byPeer = new ConcurrentHashMap<>();
        parallel(roomNames, name -> {
            SoakClient probe = new SoakClient(-1, name, base, http, probes, byPeer);
            assertEquals(List.of(), probe.join(), () -> "room " + name + " still has members after everyone left");
            probe.bye();
        });
    }

    /** After a barrier every signal sent has arrived: what a receiver has not counted is lost. */
    private void checkStreams() {
        for (List<SoakClient> members : rooms) {
            for (SoakClient sender : members) {
                for (SoakClient receiver : members) {
                    int missing = sender == receiver ? 0 : sender.sentTo(receiver.peer()) - receiver.receivedFrom(sender.peer());
                    if (missing > 0) {
                        tally.lost(missing, receiver.name() + " is missing the last " + missing + " of " + sender.name() + "'s signals");
                    }
                }
            }
        }
    }

    /** Every client pings and reads up to its pong: whatever was queued for it before has then been read and checked. */
    private void barrier() {
        parallel(clients, client -> {
            client.ping();
            client.awaitPong();
        });
    }

    private List<SoakClient> roomOf(SoakClient client) {
        return rooms.get(client.index / roomSize);
    }

    private static List<String> peersOf(List<SoakClient> members, SoakClient except) {
        return members.stream().filter(m -> m != except).map(SoakClient::peer).toList();
    }

    private static String joined(SoakClient client) {
        return "joined:" + client.peer() + ":" + client.name();
    }

    private <T> void parallel(Collection<T> items, Consumer<T> work) {
        List<Future<?>> futures = items.stream().<Future<?>>map(item -> pool.submit(() -> work.accept(item))).toList();
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
