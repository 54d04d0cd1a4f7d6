package dev.rendezvous.it;

import dev.rendezvous.testkit.BuiltWar;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only WildFly shows (-Pwildfly): a server without Payara's data grid, whose log the test
 * can read. The WAR serves rooms on this node alone, says so, and logs no errors.
 */
class WildFlyIT extends SignalingTestBase {

    @Deployment(testable = false)
    static WebArchive war() {
        return BuiltWar.get();
    }

    @Test
    void withoutADataGridRoomsAreServedByThisNodeAloneAndTheLogSaysSo() throws Exception {
        List<Joined> ab = joinAll("a", "b");
        ab.get(0).peer().send("{\"type\":\"offer\",\"sdp\":\"hello\"}");
        assertEquals("hello", ab.get(1).peer().next("offer").getString("sdp"));

        List<String> log = sinceLastStart(Files.readAllLines(Path.of(System.getProperty("wildfly.log.dir"), "server.log")));
        assertTrue(log.stream().anyMatch(line -> line.contains("[dev.rendezvous.cluster.Relays]")
                        && line.endsWith("Relay: this node alone (signaling.relay=auto, no data grid in use)")),
                "the relay choice is logged");
        assertEquals(List.of(), log.stream().filter(line -> line.contains(" ERROR ")).toList(), "no errors logged");
    }

    /** The log file outlives a run: this run's lines are those from the last "WildFly … starting" on. */
    private static List<String> sinceLastStart(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains("WFLYSRV0049")) {
                return lines.subList(i, lines.size());
            }
        }
        throw new AssertionError("no start of WildFly in its log");
    }
}
