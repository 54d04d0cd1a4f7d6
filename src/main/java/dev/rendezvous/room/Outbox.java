package dev.rendezvous.room;

/** Where messages go: an ordered, non-blocking queue, to a connection or to a member's {@link Mailbox}. */
public interface Outbox {

    /** Queues one already-encoded message; never blocks and never throws for a dead recipient. */
    void send(String message);

    /**
     * Ends the connection for good because the server removed its member, telling the client
     * {@code why}; nothing more is sent. Never blocks; idempotent.
     */
    void end(Removal why);

    /**
     * The member went on over another connection, perhaps to another server (a resume): this one
     * gets nothing more and is closed, telling the client it is superseded; the membership lives on.
     * Never blocks; idempotent. Nothing to do for an outbox that is not a connection.
     */
    default void supersede() {
    }
}
