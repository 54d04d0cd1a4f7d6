package dev.rendezvous.room;

/** One connection's place in a room: who it is and how to reach it. */
public record Member(Peer peer, Outbox outbox) {

    public String id() {
        return peer.peer();
    }
}
