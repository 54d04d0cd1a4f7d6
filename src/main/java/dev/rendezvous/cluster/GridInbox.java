package dev.rendezvous.cluster;

import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Removal;

import java.util.concurrent.Executor;

/**
 * Applies the messages other nodes send to this node's topic to the rooms it holds, one at a time
 * on the topic's event thread, so that one publisher's messages take effect in the order published.
 * What reaches this node for a member that moved away from it is passed on to the member's new node.
 */
final class GridInbox implements MessageListener<String[]> {

    private final RoomViews views;
    private final Executor chores;
    private final GridMembership membership;
    private final Handovers handovers;
    private final Routes routes;

    /** {@code chores} runs what must wait for the grid, which the event thread must not. */
    GridInbox(RoomViews views, Executor chores, GridMembership membership, Handovers handovers, Routes routes) {
        this.views = views;
        this.chores = chores;
        this.membership = membership;
        this.handovers = handovers;
        this.routes = routes;
    }

    @Override
    public void onMessage(Message<String[]> event) {
        GridMessage message = GridMessage.of(event.getMessageObject());
        if (message == null) {
            return; // a kind this version does not know; logged
        }
        String room = message.room();
        String publisher = event.getPublishingMember().getUuid().toString();
        RoomView view = views.get(room);
        if (view == null) {
            // Nobody here any more; a move is still answered, so that nobody waits for this node.
            switch (message.kind()) {
                case HANDOVER -> handovers.release(room, null, message, publisher);
                case MOVED -> routes.moved(room, null, message, publisher);
                default -> {
                }
            }
            return;
        }
        synchronized (view) {
            switch (message.kind()) {
                case SIGNAL -> signal(view, message, publisher);
                case JOINED -> {
                    view.learn(message.from(), publisher);
                    view.deliverToEarlier(message.text(), message.version(), publisher);
                    routes.passOn(view, publisher, message.text(), message.version());
                }
                case LEFT -> {
                    if (view.forget(message.from())) {
                        view.deliverToEarlier(message.text(), message.version(), publisher);
                        routes.passOn(view, publisher, message.text(), message.version());
                    }
                }
                case REMOVE -> remove(view, message);
                case HANDOVER -> handovers.release(room, view, message, publisher);
                case HANDED -> handovers.handed(view, message, publisher);
                case MOVED -> routes.moved(room, view, message, publisher);
                case SWITCHED -> routes.switched(view, message, publisher);
                case FORWARDED -> addressed(view, message, publisher);
            }
        }
    }

    private void signal(RoomView view, GridMessage message, String publisher) {
        if (message.to() == null) {
            view.deliver(message.text(), null, publisher);
            routes.passOn(view, publisher, message.text(), null);
            return;
        }
        addressed(view, message, publisher);
    }

    /**
     * Delivers a message for one member, or passes it on when the member moved on from here: also
     * what another node passed on, for a member that moved twice while it was on its way.
     */
    private void addressed(RoomView view, GridMessage message, String publisher) {
        Member target = view.local(message.to());
        if (target != null) {
            view.send(target, message.text(), publisher);
            return;
        }
        Forwarding forwarding = view.forwarding(message.to());
        if (forwarding != null) {
            routes.forward(view, message.to(), forwarding, message.text());
        }
    }

    private void remove(RoomView view, GridMessage message) {
        Member target = view.local(message.to());
        Removal why = message.removal();
        if (target != null && why != null) {
            // Off the event thread: leaving changes the roster on the grid, and waits for it.
            chores.execute(() -> membership.removeHere(view.room(), target, why));
        } else if (why != null && view.forwarding(message.to()) != null) {
            routes.forward(view, message.to(), view.forwarding(message.to()), why);
        }
    }
}
