package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameScannerTest {

    /** A masked client frame with a payload of {@code length} bytes whose content looks like frame headers. */
    private static byte[] frame(int head, int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 0x88);
        return frame(head, payload, new byte[] {1, 2, 3, 4});
    }

    /** A client frame: {@code payload} masked with {@code key}, or as it is when {@code key} is null. */
    private static byte[] frame(int head, byte[] payload, byte[] key) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(head);
        int mask = key == null ? 0 : 0x80;
        int length = payload.length;
        if (length < 126) {
            frame.write(mask | length);
        } else if (length <= 0xffff) {
            frame.write(mask | 126);
            frame.write(length >>> 8);
            frame.write(length);
        } else {
            frame.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) length >>> shift));
            }
        }
        if (key != null) {
            frame.write(key, 0, 4);
        }
        for (int i = 0; i < length; i++) {
            frame.write(key == null ? payload[i] : payload[i] ^ key[i % 4]);
        }
        return frame.toByteArray();
    }

    private static byte[] stream(byte[]... frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.write(frame, 0, frame.length);
        }
        return all.toByteArray();
    }

    /** What {@code scanner} passes on of {@code bytes}, handed to it in reads of {@code chunk} bytes. */
    private static byte[] passed(FrameScanner scanner, byte[] bytes, int chunk) {
        byte[] copy = bytes.clone();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < copy.length; i += chunk) {
            int n = Math.min(chunk, copy.length - i);
            int kept = scanner.scan(copy, i, n);
            out.write(copy, i, kept);
        }
        return out.toByteArray();
    }

    @Test
    void aCloseFrameAfterFramesOfEveryLengthFormIsSeenHoweverTheBytesArrive() {
        byte[] before = stream(frame(0x81, 5), frame(0x01, 300), frame(0x00, 70_000), frame(0x80, 0), frame(0x89, 125));
        byte[] bytes = stream(before, frame(0x88, 2));
        for (boolean unmask : new boolean[] {false, true}) {
            for (int chunk : new int[] {1, 2, 3, 7, 4096, bytes.length}) {
                FrameScanner scanner = new FrameScanner(unmask);
                byte[] copy = bytes.clone();
                for (int i = 0; i < copy.length; i += chunk) {
                    scanner.scan(copy, i, Math.min(chunk, copy.length - i));
                    if (i + chunk <= before.length) {
                        assertFalse(scanner.closeSeen(), "chunks of " + chunk + ": a close byte inside a payload is not a close");
                    }
                    if (i + chunk < copy.length) {
                        assertFalse(scanner.closeRead(), "chunks of " + chunk + ": the close frame is not whole yet");
                    }
                }
                assertTrue(scanner.closeSeen(), "chunks of " + chunk);
                assertTrue(scanner.closeRead(), "chunks of " + chunk);
            }
        }
    }

    @Test
    void afterALengthWithItsTopBitSetNothingPassesForAFrameACloseLeastOfAll() {
        // 0x81, then 127 and a 64-bit length of 2^63 + 2: not a length RFC 6455 allows, taken as endless.
        byte[] header = {(byte) 0x81, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 2};
        // Its first payload bytes would read as an empty frame, and the bytes after them as a close.
        byte[] bytes = stream(header, new byte[] {0, 0}, frame(0x88, 2), frame(0x81, 5));
        for (boolean unmask : new boolean[] {false, true}) {
            for (int chunk : new int[] {1, 3, bytes.length}) {
                FrameScanner scanner = new FrameScanner(unmask);
                byte[] passed = passed(scanner, bytes, chunk);
                assertFalse(scanner.closeSeen(), "chunks of " + chunk + ": the bytes after it are its payload");
                assertFalse(scanner.betweenFrames(), "chunks of " + chunk);
                assertEquals(bytes.length, passed.length, "an unmasked frame loses no key");
            }
        }
    }

    @Test
    void aFrameOverTheCapIsNotPassedOnNorAnythingAfterItYetACloseAfterItIsRead() {
        byte[] before = stream(frame(0x81, 5), frame(0x01, 300), frame(0x80, 1000));
        byte[] over = frame(0x81, 70_000);
        byte[] bytes = stream(before, over, frame(0x81, 5), frame(0x88, 2));
        byte[] beforeUnmasked = passed(new FrameScanner(true), before, before.length);
        for (boolean unmask : new boolean[] {false, true}) {
            byte[] expected = unmask ? beforeUnmasked : before;
            for (int chunk : new int[] {1, 2, 7, 1000, bytes.length}) {
                FrameScanner scanner = new FrameScanner(unmask);
                scanner.cap(1000);
                byte[] passed = passed(scanner, bytes, chunk);
                assertTrue(scanner.oversized(), "chunks of " + chunk);
                assertTrue(scanner.closeRead(), "chunks of " + chunk + ": the close frame after it is still followed");
                assertArrayEquals(expected, Arrays.copyOf(passed, Math.min(passed.length, expected.length)), "chunks of " + chunk);
                // Of the frame over the cap, at most the part of its header (14 bytes) that came in earlier reads.
                assertTrue(passed.length - expected.length < 14, "chunks of " + chunk + ": " + (passed.length - expected.length));
                if (chunk >= 1000) {
                    assertEquals(expected.length, passed.length, "chunks of " + chunk + ": its header read in one go, none of it");
                }
            }
        }
    }

    @Test
    void theMaskedHelloOfRfc6455IsPassedOnUnmasked() {
        // RFC 6455, section 5.7: a single-frame masked text message containing "Hello".
        byte[] masked = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        byte[] unmasked = stream(new byte[] {(byte) 0x81, 0x05}, hello);
        for (int chunk = 1; chunk <= masked.length; chunk++) {
            assertArrayEquals(unmasked, passed(new FrameScanner(true), masked, chunk), "reads of " + chunk);
            assertArrayEquals(masked, passed(new FrameScanner(false), masked, chunk), "reads of " + chunk);
        }
    }

    @Test
    void anyStreamOfFramesIsPassedOnAsTheSameFramesUnmaskedHoweverTheBytesArrive() {
        Random random = new Random(6455);
        for (int run = 0; run < 300; run++) {
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            ByteArrayOutputStream unmasked = new ByteArrayOutputStream();
            int frames = 1 + random.nextInt(8);
            for (int f = 0; f < frames; f++) {
                int head = random.nextInt(256);
                byte[] payload = new byte[lengthOf(random)];
                random.nextBytes(payload);
                byte[] key = random.nextInt(10) == 0 ? null : new byte[4];
                if (key != null) {
                    random.nextBytes(key);
                }
                byte[] frame = frame(head, payload, key);
                sent.write(frame, 0, frame.length);
                byte[] plain = frame(head, payload, null);
                unmasked.write(plain, 0, plain.length);
            }
            byte[] bytes = sent.toByteArray();
            int chunk = 1 + random.nextInt(random.nextBoolean() ? 16 : bytes.length);
            assertArrayEquals(unmasked.toByteArray(), passed(new FrameScanner(true), bytes, chunk),
                    "run " + run + ", reads of " + chunk);
            assertArrayEquals(bytes, passed(new FrameScanner(false), bytes, chunk), "run " + run + ", reads of " + chunk);
        }
    }

    /** Payload lengths of every form: seven bits, sixteen, sixty-four; around the eight-byte strides. */
    private static int lengthOf(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(17);
            case 1 -> random.nextInt(126);
            case 2 -> 126 + random.nextInt(4000);
            default -> 65_536 + random.nextInt(300);
        };
    }

    @Test
    void aReadOfMaskingKeysAloneHandsOnNothing() {
        byte[] bytes = frame(0x81, new byte[] {'a', 'b'}, new byte[] {9, 8, 7, 6});
        FrameScanner scanner = new FrameScanner(true);
        assertEquals(2, scanner.scan(bytes, 0, 2));
        assertEquals(0, scanner.scan(bytes, 2, 4));
        assertEquals(2, scanner.scan(bytes, 6, 2));
        assertEquals('a', bytes[6]);
        assertEquals('b', bytes[7]);
    }
}
