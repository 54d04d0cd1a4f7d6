package dev.rendezvous.it;

import dev.rendezvous.testkit.MicroProcess;
import dev.rendezvous.testkit.TestPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the server (SIGTERM, as {@code docker stop} does) closes every socket with 1001 so clients reconnect. */
@Timeout(240)
class ShutdownIT {

    private static final int PORT = Integer.getInteger("it.shutdown.port", 18085);

    @Test
    void stoppingTheServerClosesEverySocketWith1001() throws Exception {
        try (MicroProcess micro = MicroProcess.start(PORT, Map.of())) {
            URI room = URI.create("ws://127.0.0.1:" + PORT + "/signal/shutdown");
            TestPeer a = TestPeer.connect(room);
            TestPeer b = TestPeer.connect(room);
            a.welcome();
            b.welcome();
            assertTrue(micro.stop(Duration.ofSeconds(60)), "Payara Micro stops within a minute");
            assertEquals(1001, a.awaitClose().code());
            assertEquals(1001, b.awaitClose().code());
        }
    }
}
