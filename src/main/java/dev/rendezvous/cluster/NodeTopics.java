package dev.rendezvous.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.MessageListener;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The grid topics nodes address each other on, one per node: this node listens on its own and
 * publishes {@link GridMessage}s on the others'.
 */
final class NodeTopics {

    private static final String PREFIX = "rendezvous-node-";

    private final HazelcastInstance grid;
    private final String self;
    private final ConcurrentHashMap<String, ITopic<String[]>> topics = new ConcurrentHashMap<>();
    private UUID registration;

    NodeTopics(HazelcastInstance grid, String self) {
        this.grid = grid;
        this.self = self;
    }

    /** Hands the messages on this node's topic to {@code listener}, one at a time on the topic's event thread. */
    void listen(MessageListener<String[]> listener) {
        registration = topic(self).addMessageListener(listener);
    }

    /** Publishes {@code message} on the topic of each of {@code nodes}. */
    void publish(Iterable<String> nodes, GridMessage message) {
        String[] fields = null;
        for (String node : nodes) {
            if (fields == null) {
                fields = message.fields();
            }
            topic(node).publish(fields);
        }
    }

    void publish(String node, GridMessage message) {
        topic(node).publish(message.fields());
    }

    /**
     * Tells both nodes of each switched route: the old one that nothing more comes its way for the
     * member (after all this node sent it), the new one where this node sent until now.
     */
    void switched(String room, List<RoomView.Switch> switches) {
        for (RoomView.Switch change : switches) {
            publish(change.from(), GridMessage.switched(room, change.id(), null));
            publish(change.to(), GridMessage.switched(room, change.id(), change.from()));
        }
    }

    /** Drops this node's handle on a departed node's topic; the topic itself lives until {@link #destroy}. */
    void forget(String node) {
        topics.remove(node);
    }

    /** Frees a departed node's topic on the whole grid. */
    void destroy(String node) {
        grid.getTopic(PREFIX + node).destroy();
    }

    /** Stops listening on this node's topic. */
    void close() {
        topic(self).removeMessageListener(registration);
    }

    private ITopic<String[]> topic(String node) {
        return topics.computeIfAbsent(node, key -> grid.getTopic(PREFIX + key));
    }
}
