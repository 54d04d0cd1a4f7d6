package dev.rendezvous.cluster;

import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.Removal;

import java.util.concurrent.Executor;

/**
 * Applies the messages other nodes send to this node's topic to the rooms it holds, one at a time
 * on the topic's event thread, so that one publisher's messages take effect in the order published.
 */
final class GridInbox implements MessageListener<String[]> {

    private final RoomViews views;
    private final Executor chores;
    private final GridMembership membership;

    /** {@code chores} runs what must wait for the grid, which the event thread must not. */
    GridInbox(RoomViews views, Executor chores, GridMembership membership) {
        this.views = views;
        this.chores = chores;
        this.membership = membership;
    }

    @Override
    public void onMessage(Message<String[]> event) {
        GridMessage message = GridMessage.of(event.getMessageObject());
        if (message == null) {
            return; // a kind this version does not know; logged
        }
        String room = message.room();
        RoomView view = views.get(room);
        if (view == null) {
            return; // nobody here any more
        }
        synchronized (view) {
            switch (message.kind()) {
                case SIGNAL -> {
                    if (message.to() == null) {
                        view.deliver(message.text(), null);
                    } else {
                        Member target = view.local(message.to());
                        if (target != null) {
                            target.mailbox().send(message.text());
                        }
                    }
                }
                case JOINED -> {
                    view.learn(message.from(), event.getPublishingMember().getUuid().toString());
                    view.deliverToEarlier(message.text(), message.version());
                }
                case LEFT -> {
                    if (view.forget(message.from())) {
                        view.deliverToEarlier(message.text(), message.version());
                    }
                }
                case REMOVE -> {
                    Member target = view.local(message.to());
                    Removal why = message.removal();
                    if (target != null && why != null) {
                        // Off the event thread: leaving changes the roster on the grid, and waits for it.
                        chores.execute(() -> membership.removeHere(room, target, why));
                    }
                }
            }
        }
    }
}
