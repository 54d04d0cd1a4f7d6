package dev.rendezvous.room;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An outbox for tests: keeps every message sent to it, and every ending. */
public final class RecordingOutbox implements Outbox {

    private final List<String> messages;
    private final List<Removal> endings = new CopyOnWriteArrayList<>();

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

    public List<String> messages() {
        return messages;
    }

    public List<Removal> endings() {
        return endings;
    }
}
