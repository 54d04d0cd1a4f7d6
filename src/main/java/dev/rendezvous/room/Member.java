package dev.rendezvous.room;

/** One member of a room: who it is, and the mailbox that reaches it across reconnections. */
public record Member(Peer peer, Mailbox mailbox) {

    public String id() {
        return peer.peer();
    }
}
