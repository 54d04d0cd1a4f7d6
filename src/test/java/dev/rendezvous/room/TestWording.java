package dev.rendezvous.room;

/** Presence announcements for tests: {@code +id} for a join, {@code -id} for a departure. */
public final class TestWording implements Relay.Wording {

    public static final Relay.Wording INSTANCE = new TestWording();

    private TestWording() {
    }

    @Override
    public String joined(Peer newcomer) {
        return "+" + newcomer.peer();
    }

    @Override
    public String left(String peerId) {
        return "-" + peerId;
    }
}
