package dev.rendezvous.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.rendezvous.room.Resumptions;

import java.util.concurrent.TimeUnit;

/**
 * The members an administrator removed, on the grid for as long as a credential of theirs may still
 * be shown ({@link Resumptions#CREDENTIAL_LIFETIME}): none of them resumes, on any node. A node
 * forgets on its own the members that left it, but a credential can be shown to any node, and the
 * others never held the member. Ids are never given twice, so a removal concerns one membership.
 */
final class RemovedMembers {

    private static final String MAP = "rendezvous-removed";

    private final IMap<String, Boolean> map;

    RemovedMembers(HazelcastInstance grid) {
        this.map = grid.getMap(MAP);
    }

    /** Marks the member of {@code room} as removed; waits for the grid. */
    void mark(String room, String id) {
        map.set(key(room, id), Boolean.TRUE, Resumptions.CREDENTIAL_LIFETIME.toSeconds(), TimeUnit.SECONDS);
    }

    /** Whether the member of {@code room} was removed; waits for the grid. */
    boolean marked(String room, String id) {
        return map.containsKey(key(room, id));
    }

    private static String key(String room, String id) {
        // Room names never hold a '/' (RoomName), so no two pairs share a key.
        return room + '/' + id;
    }
}
