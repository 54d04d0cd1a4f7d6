package dev.rendezvous.it;

import dev.rendezvous.testkit.MicroProcess;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cluster suites' second Payara Micro node, beside the one Arquillian manages (qualifier
 * {@code payara-micro-cluster} in arquillian.xml): both on 127.0.0.1, finding each other by TCP/IP
 * on the grid ports below, never by multicast.
 */
final class SecondNode {

    static final int HTTP_PORT = Integer.getInteger("it.cluster.port.b", 18302);
    static final int GRID_PORT = Integer.getInteger("it.cluster.grid.port.b", 16302);
    /** A third node some tests add: it joins through the first, which need not list it. */
    static final int THIRD_HTTP_PORT = Integer.getInteger("it.cluster.port.c", 18303);
    static final int THIRD_GRID_PORT = Integer.getInteger("it.cluster.grid.port.c", 16303);
    /** {@code --startport} of the Arquillian node in arquillian.xml. */
    static final int FIRST_GRID_PORT = Integer.getInteger("it.cluster.grid.port.a", 16301);
    static final String CLUSTER = "rdv-it";
    private static final Duration FORMATION = Duration.ofSeconds(240);

    private SecondNode() {
    }

    /**
     * Boots the second node with these {@code SIGNALING_*} variables and returns once a member
     * joined on one node is seen from the other.
     */
    static MicroProcess start(int firstHttpPort, Map<String, String> settings) throws Exception {
        return start(firstHttpPort, HTTP_PORT, GRID_PORT, settings);
    }

    /** Boots another node on these ports, like {@link #start(int, Map)}. */
    static MicroProcess start(int firstHttpPort, int httpPort, int gridPort, Map<String, String> settings) throws Exception {
        MicroProcess node = MicroProcess.startNode(httpPort, gridPort, List.of(FIRST_GRID_PORT, gridPort), CLUSTER, settings);
        try {
            MicroProcess.awaitCluster(firstHttpPort, httpPort, FORMATION);
            return node;
        } catch (Exception | AssertionError e) {
            node.close();
            throw e;
        }
    }

    static URI uri(int port, String room) {
        return URI.create("ws://127.0.0.1:" + port + "/signal/" + room);
    }
}
