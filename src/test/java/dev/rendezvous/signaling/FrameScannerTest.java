package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameScannerTest {

    /** A masked client frame with a payload of {@code length} bytes whose content looks like frame headers. */
    private static byte[] frame(int head, int length) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(head);
        if (length < 126) {
            frame.write(0x80 | length);
        } else if (length <= 0xffff) {
            frame.write(0x80 | 126);
            frame.write(length >>> 8);
            frame.write(length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) length >>> shift));
            }
        }
        frame.write(new byte[] {1, 2, 3, 4}, 0, 4);
        for (int i = 0; i < length; i++) {
            frame.write(0x88);
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

    @Test
    void aCloseFrameAfterFramesOfEveryLengthFormIsSeenHoweverTheBytesArrive() {
        byte[] before = stream(frame(0x81, 5), frame(0x01, 300), frame(0x00, 70_000), frame(0x80, 0), frame(0x89, 125));
        byte[] bytes = stream(before, frame(0x88, 2));
        for (int chunk : new int[] {1, 2, 3, 7, 4096, bytes.length}) {
            FrameScanner scanner = new FrameScanner();
            for (int i = 0; i < bytes.length; i += chunk) {
                scanner.scan(bytes, i, Math.min(chunk, bytes.length - i));
                if (i + chunk <= before.length) {
                    assertFalse(scanner.closeSeen(), "chunks of " + chunk + ": a close byte inside a payload is not a close");
                }
                if (i + chunk < bytes.length) {
                    assertFalse(scanner.closeRead(), "chunks of " + chunk + ": the close frame is not whole yet");
                }
            }
            assertTrue(scanner.closeSeen(), "chunks of " + chunk);
            assertTrue(scanner.closeRead(), "chunks of " + chunk);
        }
    }
}
