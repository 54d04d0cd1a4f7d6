package dev.rendezvous.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HistogramTest {

    private static String text(Metric metric) {
        StringBuilder out = new StringBuilder();
        metric.writeTo(out);
        return out.toString();
    }

    @Test
    void aValueOnABoundCountsInThatBucketAndAboveEveryBoundInInfOnly() {
        Histogram sizes = new Histogram("room_peers", "Members per room.", 1, 1, 2, 4);
        for (long value : new long[] {1, 2, 3, 4, 5, 100, 0}) {
            sizes.record(value);
        }
        assertEquals("""
                # HELP room_peers Members per room.
                # TYPE room_peers histogram
                room_peers_bucket{le="1"} 2
                room_peers_bucket{le="2"} 3
                room_peers_bucket{le="4"} 5
                room_peers_bucket{le="+Inf"} 7
                room_peers_sum 115
                room_peers_count 7
                """, text(sizes));
        assertEquals(7, sizes.count());
    }

    @Test
    void nanosecondsAreWrittenAsSecondsWithPlainDecimalBounds() {
        Histogram latency = new Histogram("latency_seconds", "Latency.", 1e9, 0.0001, 0.001, 2.5);
        latency.record(100_000);      // exactly 0.0001 s
        latency.record(100_001);      // just over
        latency.record(2_000_000_000);
        latency.record(3_000_000_000L);
        assertEquals("""
                # HELP latency_seconds Latency.
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.0001"} 1
                latency_seconds_bucket{le="0.001"} 2
                latency_seconds_bucket{le="2.5"} 3
                latency_seconds_bucket{le="+Inf"} 4
                latency_seconds_sum 5.000200001
                latency_seconds_count 4
                """, text(latency));
    }

    @Test
    void anEmptyHistogramWritesEveryBucketAsZero() {
        assertEquals("""
                # HELP h None yet.
                # TYPE h histogram
                h_bucket{le="0.01"} 0
                h_bucket{le="+Inf"} 0
                h_sum 0.0
                h_count 0
                """, text(new Histogram("h", "None yet.", 1e3, 0.01)));
    }

    @Test
    void boundsMustAscend() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram("h", "h", 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Histogram("h", "h", 1, 3, 1));
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        Histogram histogram = new Histogram("h", "h", 1, 10, 100);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    histogram.record(i % 150);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(40_000, histogram.count());
        String text = text(histogram);
        // Per thread: 0..10 is 11 of every 150, 0..100 is 101 of every 150 (66 full rounds and 100 more).
        assertEquals(4 * (66 * 11 + 11), count(text, "h_bucket{le=\"10\"}"));
        assertEquals(4 * (66 * 101 + 100), count(text, "h_bucket{le=\"100\"}"));
    }

    private static long count(String text, String series) {
        return text.lines().filter(line -> line.startsWith(series + " "))
                .mapToLong(line -> Long.parseLong(line.substring(series.length() + 1))).findFirst().orElseThrow();
    }
}
