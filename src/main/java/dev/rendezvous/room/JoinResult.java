package dev.rendezvous.room;

import java.util.List;

/** What a join attempt came to: in, with the members already there, or refused for lack of room. */
public sealed interface JoinResult {

    /** Joined as {@code self}; {@code others} are the members who were already in the room, in join order. */
    record Joined(Member self, List<Peer> others) implements JoinResult {
    }

    /** Not joined: the room already holds {@code maxPeers} members. */
    record Full(int maxPeers) implements JoinResult {
    }

    /** Not joined: the room does not exist and {@code maxRooms} rooms are already open. */
    record TooManyRooms(int maxRooms) implements JoinResult {
    }

    /** Not joined: the id asked for is held in the room already, or this relay cannot give an id back. */
    record Taken() implements JoinResult {
    }
}
