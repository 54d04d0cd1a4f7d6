package dev.rendezvous.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's one-minute load average ({@code /proc/loadavg}), printed beside figures because
 * other work on the same cores moves them more than anything measured.
 */
final class Load {

    private Load() {
    }

    /** The one-, five- and fifteen-minute load averages as {@code /proc/loadavg} gives them, or "unknown". */
    static String all() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The one-minute load average, or {@code NaN} where there is no {@code /proc/loadavg}. */
    static double now() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
