package dev.rendezvous.room;

/** Where messages for one member go: an ordered, non-blocking queue to its connection. */
public interface Outbox {

    /** Queues one already-encoded message; never blocks and never throws for a dead recipient. */
    void send(String message);
}
