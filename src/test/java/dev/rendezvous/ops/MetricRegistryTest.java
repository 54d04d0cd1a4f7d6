package dev.rendezvous.ops;

import dev.rendezvous.room.RoomName;
import dev.rendezvous.room.LocalRelay;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.RecordingOutbox;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.TestWording;
import dev.rendezvous.signaling.Answer;
import dev.rendezvous.signaling.Candidate;
import dev.rendezvous.signaling.ConnectionRegistry;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.Offer;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricRegistryTest {

    /** A sample line: name, optional {label="value"}, a value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{([a-z]+)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"})? (\\S+)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-z_]+) (counter|gauge|histogram)");
    private static final Relay.Wording WORDS = TestWording.INSTANCE;

    private final MetricRegistry metrics = new MetricRegistry();
    private final LocalRelay relay = new LocalRelay(WORDS);

    @BeforeEach
    void wire() {
        metrics.relay = relay;
        metrics.connections = new ConnectionRegistry() {
            @Override
            public int size() {
                return 5;
            }
        };
    }

    private void fill(String room, int members) {
        for (int i = 0; i < members; i++) {
            relay.join(new RoomName(room), "m" + i, new Mailbox(new RecordingOutbox(), false), 100, 100);
        }
    }

    /** Every sample by series ({@code name} or {@code name{label="value"}}), checking the format on the way. */
    private Map<String, String> samples() {
        Map<String, String> samples = new HashMap<>();
        Set<String> families = new HashSet<>();
        for (String line : metrics.scrape().split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                assertTrue(families.add(type.group(1)), "one TYPE line per family: " + line);
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), "a sample line: " + line);
            String name = sample.group(1);
            assertTrue(families.contains(name) || families.contains(name.replaceAll("_(bucket|sum|count)$", "")),
                    "declared before its samples: " + line);
            String series = sample.group(2) == null ? name : name + sample.group(2);
            assertTrue(samples.put(series, sample.group(5)) == null, "each series once: " + line);
            Double.parseDouble(sample.group(5).replace("+Inf", "Infinity"));
        }
        return samples;
    }

    @Test
    void anIdleNodeWritesEverySeriesAtZero() {
        Map<String, String> samples = samples();
        assertEquals("5", samples.get("rendezvous_connections_open"));
        assertEquals("0", samples.get("rendezvous_rooms_open"));
        assertEquals("0", samples.get("rendezvous_room_peers_count"));
        // The spare rings are the whole server's (other tests in this JVM may have left some).
        assertTrue(Long.parseLong(samples.get("rendezvous_resume_rings_kept_bytes")) >= 0);
        for (String type : List.of("offer", "answer", "candidate")) {
            assertEquals("0", samples.get("rendezvous_messages_relayed_total{type=\"" + type + "\"}"));
        }
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals("0", samples.get("rendezvous_errors_sent_total{code=\"" + code + "\"}"));
        }
        for (String code : List.of("1000", "1001", "1006", "1008", "1009", "1011", "1013", "4000", "4400", "4401", "4408",
                "4409", "4410", "4429", "other")) {
            assertEquals("0", samples.get("rendezvous_connections_closed_total{code=\"" + code + "\"}"), code);
        }
        assertEquals("0", samples.get("rendezvous_resumes_total{outcome=\"resumed\"}"));
        assertEquals("0", samples.get("rendezvous_resumes_total{outcome=\"failed\"}"));
        assertEquals("0", samples.get("rendezvous_rate_limited_total"));
        assertEquals("0", samples.get("rendezvous_relay_latency_seconds_count"));
        assertEquals("0", samples.get("rendezvous_relay_latency_seconds_bucket{le=\"+Inf\"}"));
    }

    @Test
    void eachCountLandsOnItsOwnSeries() {
        metrics.relayed(new Offer(null, "b", "sdp"));
        metrics.relayed(new Offer(null, null, "sdp"));
        metrics.relayed(new Answer(null, "a", "sdp"));
        metrics.relayed(new Candidate(null, null, JsonValue.NULL));
        metrics.relayed(new Candidate(null, "a", JsonValue.NULL));
        metrics.relayed(new Candidate(null, "a", JsonValue.NULL));
        metrics.errorSent(ErrorCode.BAD_MESSAGE);
        metrics.errorSent(ErrorCode.RESUME_FAILED);
        metrics.errorSent(ErrorCode.RESUME_FAILED);
        metrics.closed(1000);
        metrics.closed(4429);
        metrics.closed(4429);
        metrics.closed(3000);
        metrics.closed(4999);
        metrics.resumeAttempted(true);
        metrics.resumeAttempted(false);
        metrics.resumeAttempted(false);
        metrics.rateLimited();
        metrics.written(300_000);
        metrics.written(20_000_000_000L);

        Map<String, String> samples = samples();
        assertEquals("2", samples.get("rendezvous_messages_relayed_total{type=\"offer\"}"));
        assertEquals("1", samples.get("rendezvous_messages_relayed_total{type=\"answer\"}"));
        assertEquals("3", samples.get("rendezvous_messages_relayed_total{type=\"candidate\"}"));
        assertEquals("1", samples.get("rendezvous_errors_sent_total{code=\"BAD_MESSAGE\"}"));
        assertEquals("2", samples.get("rendezvous_errors_sent_total{code=\"RESUME_FAILED\"}"));
        assertEquals("0", samples.get("rendezvous_errors_sent_total{code=\"UNKNOWN_PEER\"}"));
        assertEquals("1", samples.get("rendezvous_connections_closed_total{code=\"1000\"}"));
        assertEquals("2", samples.get("rendezvous_connections_closed_total{code=\"4429\"}"));
        assertEquals("2", samples.get("rendezvous_connections_closed_total{code=\"other\"}"));
        assertEquals("1", samples.get("rendezvous_resumes_total{outcome=\"resumed\"}"));
        assertEquals("2", samples.get("rendezvous_resumes_total{outcome=\"failed\"}"));
        assertEquals("1", samples.get("rendezvous_rate_limited_total"));
        assertEquals("0", samples.get("rendezvous_relay_latency_seconds_bucket{le=\"0.00025\"}"));
        assertEquals("1", samples.get("rendezvous_relay_latency_seconds_bucket{le=\"0.0005\"}"));
        assertEquals("1", samples.get("rendezvous_relay_latency_seconds_bucket{le=\"10\"}"));
        assertEquals("2", samples.get("rendezvous_relay_latency_seconds_bucket{le=\"+Inf\"}"));
        assertEquals("2", samples.get("rendezvous_relay_latency_seconds_count"));
        assertEquals("20.0003", samples.get("rendezvous_relay_latency_seconds_sum"));
    }

    @Test
    void roomsAndTheirSizesAreReadFromTheRelayAtEachScrape() {
        fill("one", 1);
        fill("pair", 2);
        fill("seven", 7);
        fill("big", 40);
        Map<String, String> samples = samples();
        assertEquals("4", samples.get("rendezvous_rooms_open"));
        assertEquals("1", samples.get("rendezvous_room_peers_bucket{le=\"1\"}"));
        assertEquals("2", samples.get("rendezvous_room_peers_bucket{le=\"2\"}"));
        assertEquals("2", samples.get("rendezvous_room_peers_bucket{le=\"6\"}"));
        assertEquals("3", samples.get("rendezvous_room_peers_bucket{le=\"8\"}"));
        assertEquals("3", samples.get("rendezvous_room_peers_bucket{le=\"32\"}"));
        assertEquals("4", samples.get("rendezvous_room_peers_bucket{le=\"64\"}"));
        assertEquals("4", samples.get("rendezvous_room_peers_count"));
        assertEquals("50", samples.get("rendezvous_room_peers_sum"));

        fill("pair", 1);
        samples = samples();
        assertEquals("1", samples.get("rendezvous_room_peers_bucket{le=\"2\"}"), "read anew, not accumulated");
        assertEquals("4", samples.get("rendezvous_room_peers_count"));
        assertEquals("51", samples.get("rendezvous_room_peers_sum"));
    }
}
