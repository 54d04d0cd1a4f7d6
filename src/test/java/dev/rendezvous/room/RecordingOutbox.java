package dev.rendezvous.room;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An outbox for tests: keeps every message sent to it, every ending, and counts supersessions. */
public final class RecordingOutbox implements Outbox {

    private final List<String> messages;
    private final List<Removal> endings = new CopyOnWriteArrayList<>();
    private final AtomicInteger superseded = new AtomicInteger();

    public RecordingOutbox() {
        this(new CopyOnWriteArrayList<>());
    }

    /** Appends what it is sent to {@code messages}. */
    public RecordingOutbox(List<String> messages) {
        this.messages = messages;
    }

    @Override
    public void send(String message) {
        messages.add(message);
    }

    @Override
    public void end(Removal why) {
        endings.add(why);
    }

    @Override
    public void supersede() {
        superseded.incrementAndGet();
    }

    /** How many times it was told its member went on over another connection. */
    public int superseded() {
        return superseded.get();
    }

    public List<String> messages() {
        return messages;
    }

    public List<Removal> endings() {
        return endings;
    }
}
