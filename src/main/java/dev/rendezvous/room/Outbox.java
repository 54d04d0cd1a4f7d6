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
}
