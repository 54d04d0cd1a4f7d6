package dev.rendezvous.it;

import dev.rendezvous.testkit.MicroProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

/**
 * The core protocol suite, unchanged, against a two-node cluster: every other connection goes to
 * the second node, so members of one room sit on both and every line of the protocol crosses the
 * data grid.
 */
@Timeout(300)
class ClusterSignalingIT extends SignalingIT {

    private static MicroProcess second;
    private int connections;

    @BeforeAll
    static void secondNode() throws Exception {
        second = SecondNode.start(Integer.getInteger("it.http.port"), Map.of());
    }

    @AfterAll
    static void stopSecondNode() {
        if (second != null) {
            second.close();
        }
    }

    @Override
    protected int nextPort() {
        return connections++ % 2 == 0 ? super.nextPort() : SecondNode.HTTP_PORT;
    }
}
