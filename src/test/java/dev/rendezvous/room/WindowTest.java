package dev.rendezvous.room;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesComeBackWholeAndInOrderAcrossTheRingsWrapAndGrowth() {
        Random random = new Random(15);
        Window window = new Window();
        ArrayDeque<String> expected = new ArrayDeque<>();
        long bytes = 0;
        for (int step = 0; step < 200_000; step++) {
            if (!expected.isEmpty() && (random.nextInt(3) == 0 || bytes > 300_000)) {
                window.removeFirst();
                bytes -= utf8(expected.removeFirst()).length;
            } else {
                String message = message(random);
                window.add(utf8(message));
                expected.addLast(message);
                bytes += utf8(message).length;
            }
            assertEquals(expected.size(), window.size());
            assertEquals(bytes, window.bytes());
            if (step % 997 == 0) {
                int skip = expected.isEmpty() ? 0 : random.nextInt(expected.size());
                assertEquals(new ArrayList<>(expected).subList(skip, expected.size()), window.from(skip), "at step " + step);
            }
        }
    }

    @Test
    void windowsSharingRingsEachReadOnlyWhatTheyWrote() {
        Random random = new Random(16);
        Rings rings = new Rings(256 * 1024);
        byte[] dirty = new byte[Rings.SMALLEST];
        Arrays.fill(dirty, (byte) '"');
        rings.give(dirty);
        List<Window> windows = List.of(new Window(rings), new Window(rings), new Window(rings));
        List<ArrayDeque<String>> expected = List.of(new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>());
        long[] bytes = new long[3];
        for (int step = 0; step < 100_000; step++) {
            int w = random.nextInt(3);
            Window window = windows.get(w);
            ArrayDeque<String> kept = expected.get(w);
            int move = random.nextInt(500);
            if (move == 0) {
                window.clear();
                kept.clear();
                bytes[w] = 0;
            } else if (!kept.isEmpty() && (move % 3 == 0 || bytes[w] > 70_000)) {
                window.removeFirst();
                bytes[w] -= utf8(kept.removeFirst()).length;
            } else {
                String message = message(random);
                window.add(utf8(message));
                kept.addLast(message);
                bytes[w] += utf8(message).length;
            }
            if (step % 331 == 0) {
                assertEquals(new ArrayList<>(kept), window.from(0), "window " + w + " at step " + step);
            }
        }
        assertTrue(rings.kept() <= 256 * 1024);
    }

    @Test
    void aRingOutgrownOrLetGoIsTheNextWindowsToTake() {
        Rings rings = new Rings(1 << 20);
        Window first = new Window(rings);
        byte[] kilobyte = new byte[1024];
        for (int i = 0; i < 6; i++) {
            first.add(kilobyte);
        }
        assertEquals(4 * 1024, rings.kept(), "the 4 KiB ring it outgrew (the smaller ones are left to the collector)");
        first.clear();
        assertEquals(4 * 1024 + 8 * 1024, rings.kept());
        Window second = new Window(rings);
        for (int i = 0; i < 6; i++) {
            second.add(kilobyte);
        }
        assertEquals(4 * 1024, rings.kept(), "it took both, and gave the 4 KiB one back as it outgrew it");
    }

    @Test
    void ringsKeepNoMoreThanTheirLimitAndNothingTooSmallOrOddlySized() {
        Rings rings = new Rings(3 * Rings.SMALLEST);
        rings.give(new byte[Rings.SMALLEST / 2]);
        rings.give(new byte[Rings.SMALLEST + 1]);
        rings.give(new byte[2 * Rings.LARGEST]);
        assertEquals(0, rings.kept());
        byte[] one = new byte[Rings.SMALLEST];
        byte[] two = new byte[2 * Rings.SMALLEST];
        rings.give(one);
        rings.give(two);
        rings.give(new byte[Rings.SMALLEST]);
        assertEquals(3 * Rings.SMALLEST, rings.kept(), "the third would pass the limit");
        assertSame(two, rings.take(2 * Rings.SMALLEST));
        assertSame(one, rings.take(Rings.SMALLEST));
        assertEquals(0, rings.kept());
        assertNotSame(one, rings.take(Rings.SMALLEST), "none kept: a new one");
        assertEquals(Rings.LARGEST, rings.take(Rings.LARGEST).length);
    }

    @Test
    void sparesTakenInEveryIntervalStayAndTheOthersGoAtTheSecondTrim() {
        Rings rings = new Rings(1 << 20);
        List<byte[]> spares = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            spares.add(new byte[Rings.SMALLEST]);
            rings.give(spares.get(i));
        }
        rings.give(new byte[2 * Rings.SMALLEST]);
        rings.trim();
        assertEquals(7 * Rings.SMALLEST, rings.kept(), "given since the last trim: none known to be unused yet");
        for (int interval = 0; interval < 3; interval++) {
            byte[] first = rings.take(Rings.SMALLEST);
            byte[] second = rings.take(Rings.SMALLEST);
            rings.give(second);
            rings.give(first);
            rings.trim();
            assertEquals(2 * Rings.SMALLEST, rings.kept(), "interval " + interval + ": the two in use stay, the rest go");
        }
        byte[] busy = rings.take(Rings.SMALLEST);
        assertTrue(busy == spares.get(3) || busy == spares.get(4), "the newest spares were the ones in use");
        rings.give(busy);
        rings.trim();
        assertEquals(Rings.SMALLEST, rings.kept(), "the one taken stays one more interval");
        rings.trim();
        assertEquals(0, rings.kept(), "no window took any since: all gone");
        assertNotSame(busy, rings.take(Rings.SMALLEST));
    }

    @Test
    void aClearedWindowStartsAfresh() {
        Window window = new Window();
        for (int i = 0; i < 100; i++) {
            window.add(utf8("message " + i));
        }
        window.clear();
        assertEquals(0, window.size());
        assertEquals(0, window.bytes());
        assertEquals(List.of(), window.from(0));
        window.add(utf8("é, then ☃"));
        window.add(utf8(""));
        assertEquals(List.of("é, then ☃", ""), window.from(0));
        assertEquals(List.of(""), window.from(1));
    }

    /** Mostly ASCII, as signaling is, some not; from empty to past the ring's first size. */
    private static String message(Random random) {
        int length = random.nextInt(10) == 0 ? random.nextInt(5000) : random.nextInt(300);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(50);
            if (kind == 0) {
                text.append('é');
            } else if (kind == 1) {
                text.appendCodePoint(0x1F600);
            } else {
                text.append((char) ('a' + random.nextInt(26)));
            }
        }
        return text.toString();
    }
}
