package dev.rendezvous.room;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
