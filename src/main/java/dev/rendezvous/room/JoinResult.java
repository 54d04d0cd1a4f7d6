package dev.rendezvous.room;

import java.util.List;

/** What a join attempt came to: in (afresh, or back as itself), with the members already there, or refused. */
public sealed interface JoinResult {

    /** Joined as {@code self}; {@code others} are the members who were already in the room, in join order. */
    record Joined(Member self, List<Peer> others) implements JoinResult {
    }

    /**
     * Back as the member it was (same id and name), on a relay that did not hold it: {@code others} are
     * the other members in join order; {@code lost} when what was sent to it while it was away is gone.
     */
    record Resumed(Member self, List<Peer> others, boolean lost) implements JoinResult {
    }

    /** Not joined: the room already holds {@code maxPeers} members. */
    record Full(int maxPeers) implements JoinResult {
    }

    /** Not joined: the room does not exist and {@code maxRooms} rooms are already open. */
    record TooManyRooms(int maxRooms) implements JoinResult {
    }

    /**
     * Not joined: the id asked for is held in the room already, its credential was used, or this relay
     * cannot give an id back.
     */
    record Taken() implements JoinResult {
    }
}
