package dev.rendezvous.soak;

import dev.rendezvous.testkit.MicroProcess;
import dev.rendezvous.testkit.RawClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an idle member costs the real Payara Micro's heap in character arrays, with the parameter
 * scratch of each upgraded request let go of ({@code UpgradeScratch}), and that an escaped UTF-8
 * name reaches the others whole, on connections whose requests Grizzly may have recycled from
 * members before (Payara's own parse read it as ISO-8859-1: "ZoÃ« Ann"). Runs only with
 * {@code -Dsoak=true} (the {@code soak} profile).
 *
 * <p>Grizzly gives each request two scratch buffers of 1,024 characters, 4,144 bytes of
 * {@code char[]}, and keeps an upgraded request for its connection's life. Kept, a member's
 * character arrays grew the heap by 3.7 KiB here; let go of, by 0.2 KiB.
 */
@EnabledIfSystemProperty(named = "soak", matches = "true")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IdleMemberHeapIT {

    private static final Logger LOG = Logger.getLogger(IdleMemberHeapIT.class.getName());
    private static final int PORT = Integer.getInteger("soak.port", 18091);
    private static final int MEMBERS = 400;
    /** Character arrays per idle member, at most: a fifth of what the kept scratch alone would be. */
    private static final long CHARS_PER_MEMBER = 1024;
    private static final Map<String, String> SERVER = Map.of(
            "SIGNALING_CONNECTIONS_PER_ADDRESS", "2000",
            "SIGNALING_CONNECTIONS_MAX", "2000");
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Decoded by Grizzly through its scratch: a space and a two-byte UTF-8 character, escaped. */
    private static final String NAME = "Zoë Ann";
    private static final String ESCAPED_NAME = "Zo%C3%AB%20Ann";

    @Test
    void anIdleMemberKeepsNoneOfTheContainersParameterScratch() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (MicroProcess micro = MicroProcess.start(PORT, SERVER)) {
            // A first round joins and leaves, so the measured one meets requests Grizzly has recycled.
            leave(join("first-" + run));
            Map<String, Long> before = ServerHeap.liveBytes(micro.pid());
            List<RawClient> members = join("second-" + run);
            Map<String, Long> after = ServerHeap.liveBytes(micro.pid());
            try {
                long chars = (after.getOrDefault("[C", 0L) - before.getOrDefault("[C", 0L)) / MEMBERS;
                long all = (sum(after) - sum(before)) / MEMBERS;
                LOG.info(() -> String.format("Idle members on Payara Micro: %d joined; live heap %,d B per member, of it"
                        + " char[] %,d B; grown most:%n%s", MEMBERS, all, chars, ServerHeap.grownMost(before, after, 8)));
                assertTrue(chars <= CHARS_PER_MEMBER, () -> "each idle member keeps " + chars
                        + " B of char[], as if the upgraded requests kept their parameter scratch; grown most:\n"
                        + ServerHeap.grownMost(before, after, 8));
                // Unharmed: the last pair still talks.
                RawClient second = members.get(MEMBERS - 1);
                RawClient first = members.get(MEMBERS - 2);
                second.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
                JsonObject offer = first.next(WAIT);
                assertEquals("offer", offer.getString("type"), offer::toString);
                assertEquals("v=0", offer.getString("sdp"), offer::toString);
            } finally {
                leave(members);
            }
        }
    }

    /** {@link #MEMBERS} members in pairs, each second one told the first's name as it was escaped in the query. */
    private static List<RawClient> join(String prefix) throws Exception {
        List<RawClient> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            String room = prefix + "-" + i / 2;
            RawClient member = RawClient.open(PORT, "/signal/" + room + "?name=" + ESCAPED_NAME, null, null, 0);
            members.add(member);
            JsonObject welcome = member.next(WAIT);
            assertEquals("welcome", welcome.getString("type"), welcome::toString);
            if (i % 2 == 1) {
                assertEquals(NAME, welcome.getJsonArray("peers").getJsonObject(0).getString("name"), welcome::toString);
                JsonObject joined = members.get(i - 1).next(WAIT);
                assertEquals("peer-joined", joined.getString("type"), joined::toString);
                assertEquals(NAME, joined.getString("name"), joined::toString);
            }
        }
        return members;
    }

    private static void leave(List<RawClient> members) throws Exception {
        for (RawClient member : members) {
            member.sendClose(1000);
        }
        for (RawClient member : members) {
            member.awaitEnd(WAIT);
            member.close();
        }
    }

    private static long sum(Map<String, Long> bytes) {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }
}
