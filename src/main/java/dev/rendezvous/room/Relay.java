package dev.rendezvous.room;

import java.time.Duration;
import java.util.List;
import java.util.SortedMap;

/**
 * Room membership and delivery: who is in which room, and getting an already-encoded message to
 * one member or to all of a room. {@link LocalRelay} holds everything on this node;
 * {@code dev.rendezvous.cluster.HazelcastRelay} spreads rooms over the nodes of a data grid, where
 * members of one room may sit on different nodes. Either way each sender's messages reach each
 * recipient in the order sent, and presence (joined, left) is announced exactly once per member.
 */
public interface Relay extends AutoCloseable {

    /** How the relay words the announcements it makes; the wire format is not this package's business. */
    interface Wording {

        /** The announcement to the others that {@code newcomer} joined. */
        String joined(Peer newcomer);

        /** The announcement to the others that the member with this id left. */
        String left(String peerId);
    }

    /**
     * Adds a member with a fresh server-assigned id to {@code room}, unless the room already holds
     * {@code maxPeers} members, or the room is new and {@code maxRooms} rooms are open; on success
     * every other member is told. Capacity is checked and the member added in one atomic step.
     */
    JoinResult join(RoomName room, String name, Mailbox mailbox, int maxPeers, int maxRooms);

    /**
     * Gives a member that comes back with a good credential (of serial {@code serial}) the id and name
     * it had, when this node does not hold it: the server restarted since, or another node of a cluster
     * held its connection. Refused as {@link #join} is, and {@link JoinResult.Taken} when a member
     * here holds that id, the node holding it refuses the credential (used), or the relay cannot tell
     * whether the id is free. On success, {@link JoinResult.Resumed}: where a node still holding the
     * member hands over what it missed after the {@code received} messages the client counted
     * ({@link Mailbox#RECEIVED_UNKNOWN} when it did not say), {@code mailbox} gets exactly those,
     * in order, and nothing is lost; otherwise what was on its way is lost.
     */
    default JoinResult rejoin(RoomName room, Peer peer, long serial, long received, Mailbox mailbox, int maxPeers, int maxRooms) {
        return new JoinResult.Taken();
    }

    /**
     * The server is stopping and has parked its members for resume (their connections closed with
     * 1012): gives other nodes up to {@code within} to take them over with what they missed. A relay
     * no other node shares returns at once.
     */
    default void drain(Duration within) {
    }

    /**
     * Removes {@code member} for good and tells the others. Idempotent: only the first call for a
     * member returns true, so the departure is announced exactly once.
     */
    boolean leave(RoomName room, Member member);

    /**
     * Sends {@code message} to every member of {@code room} but {@code from}; nothing when {@code from}
     * is no longer a member (removed, its departure announced, its connection not yet closed).
     */
    void toOthers(RoomName room, Member from, String message);

    /**
     * Sends {@code message} to the member {@code to}; false, sending nothing, when no other member of
     * the room has that id, or {@code from} is no longer a member.
     */
    boolean toMember(RoomName room, Member from, String to, String message);

    /** The members of {@code room}, in join order. */
    List<Peer> peers(RoomName room);

    /**
     * Ends the membership of the member {@code peerId} of {@code room} for good, wherever its
     * connection is: the others are told it left, and its connection is ended with {@code why}. On a
     * cluster the node that holds the member does this, moments later when that is another node.
     *
     * @return false when the room has no member with that id
     */
    boolean remove(RoomName room, String peerId, Removal why);

    /** Every room with members and how many it has, by name: for the operator, not for hot paths. */
    SortedMap<String, Integer> occupancy();

    /** Rooms with members on this node. */
    int roomCount();

    /** How many members this node holds in each room it holds any of, in no order (a walk over the rooms: for monitoring). */
    int[] membersPerRoom();

    /** Whether the relay can take joins and deliver now: not closed, and for a cluster, its grid member still running. */
    boolean ready();

    /** Stops taking part (a cluster node leaves the grid's conversation); members are not told. */
    @Override
    void close();
}
