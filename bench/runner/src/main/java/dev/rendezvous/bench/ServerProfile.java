package dev.rendezvous.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder recording of a running server, started and stopped with {@code jcmd} (so the
 * server is launched as it always is), the methods its execution samples were most often in, and
 * what it allocated while recording.
 */
final class ServerProfile {

    private static final String NAME = "rdv-bench";

    private ServerProfile() {
    }

    static void start(long pid, Path file) {
        run(tool("jcmd"), Long.toString(pid), "JFR.start", "name=" + NAME, "settings=profile", "filename=" + file);
    }

    static void stop(long pid) {
        run(tool("jcmd"), Long.toString(pid), "JFR.stop", "name=" + NAME);
    }

    /** A full collection, so that what the heap then holds is live. */
    static void collect(long pid) {
        run(tool("jcmd"), Long.toString(pid), "GC.run");
    }

    /** KiB of live objects more in {@code after} than in {@code before}, two class histograms. */
    static double liveKiB(Map<String, long[]> before, Map<String, long[]> after) {
        return (total(after) - total(before)) / 1024.0;
    }

    private static long total(Map<String, long[]> classes) {
        long bytes = 0;
        for (long[] instancesAndBytes : classes.values()) {
            bytes += instancesAndBytes[1];
        }
        return bytes;
    }

    /**
     * Bytes of live objects by class ({@code jcmd GC.class_histogram}, which collects first), class
     * name to {instances, bytes}.
     */
    static Map<String, long[]> classHistogram(long pid) {
        Map<String, long[]> classes = new HashMap<>();
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        for (String line : run(tool("jcmd"), Long.toString(pid), "GC.class_histogram").split("\n")) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return classes;
    }

    /**
     * The {@code count} classes that grew most from {@code before} to {@code after}, per one of
     * {@code units}, as "bytes B class (instances)".
     */
    static List<String> grownClasses(Map<String, long[]> before, Map<String, long[]> after, int units, int count) {
        List<String> lines = new ArrayList<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(count)
                .forEach(e -> lines.add(String.format(Locale.ROOT, "%8.0f B  %-70s %6.2f objects",
                        (double) e.getValue()[1] / units, e.getKey(), (double) e.getValue()[0] / units)));
        return lines;
    }

    /**
     * The classes whose growth per unit from {@code before} to {@code after} most exceeds their growth
     * per unit from {@code baseBefore} to {@code baseAfter}: what one thing keeps that another does not.
     */
    static List<String> grownBeyond(Map<String, long[]> before, Map<String, long[]> after, int units,
                                    Map<String, long[]> baseBefore, Map<String, long[]> baseAfter, int baseUnits, int count) {
        Map<String, double[]> beyond = new java.util.HashMap<>();
        after.forEach((name, now) -> {
            long[] was = before.getOrDefault(name, new long[2]);
            beyond.computeIfAbsent(name, n -> new double[2])[0] += (double) (now[0] - was[0]) / units;
            beyond.get(name)[1] += (double) (now[1] - was[1]) / units;
        });
        baseAfter.forEach((name, now) -> {
            long[] was = baseBefore.getOrDefault(name, new long[2]);
            beyond.computeIfAbsent(name, n -> new double[2])[0] -= (double) (now[0] - was[0]) / baseUnits;
            beyond.get(name)[1] -= (double) (now[1] - was[1]) / baseUnits;
        });
        List<String> lines = new ArrayList<>();
        beyond.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]))
                .limit(count)
                .forEach(e -> lines.add(String.format(Locale.ROOT, "%8.0f B  %-70s %6.2f objects", e.getValue()[1], e.getKey(),
                        e.getValue()[0])));
        return lines;
    }

    /**
     * The growth from {@code before} to {@code after} per one of {@code units}, summed by who owns the
     * classes (Grizzly, Catalina, Tyrus, Weld, the product); JDK classes, arrays included, cannot be
     * told apart by owner and are summed as one.
     */
    static String grownByOwner(Map<String, long[]> before, Map<String, long[]> after, int units) {
        Map<String, Long> owners = new java.util.TreeMap<>();
        after.forEach((name, now) -> {
            long grown = now[1] - before.getOrDefault(name, new long[2])[1];
            owners.merge(owner(name), grown, Long::sum);
        });
        StringBuilder out = new StringBuilder();
        owners.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(out.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%s %.0f B", e.getKey(), (double) e.getValue() / units)));
        return out.toString();
    }

    private static String owner(String className) {
        for (String[] owner : new String[][] {{"org.glassfish.grizzly.", "Grizzly"}, {"org.apache.catalina.", "Catalina"},
                {"org.glassfish.tyrus.", "Tyrus"}, {"org.jboss.weld.", "Weld"}, {"io.undertow.", "Undertow"},
                {"org.xnio.", "XNIO"}, {"org.jboss.", "JBoss"}, {"dev.rendezvous.", "Rendezvous"}}) {
            if (className.startsWith(owner[0])) {
                return owner[1];
            }
        }
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("[") ? "JDK types" : "other";
    }

    /** The {@code count} methods most often on top of a sampled stack, each with its share of the samples. */
    static List<String> topFrames(Path file, int count) {
        String printed = run(tool("jfr"), "print", "--events", "jdk.ExecutionSample", "--stack-depth", "1", file.toString());
        Map<String, Integer> tops = new HashMap<>();
        int samples = 0;
        boolean next = false;
        for (String line : printed.split("\n")) {
            if (line.contains("stackTrace = [")) {
                next = true;
            } else if (next) {
                String frame = line.trim().replaceAll("\\s+line:.*$", "");
                tops.merge(frame, 1, Integer::sum);
                samples++;
                next = false;
            }
        }
        int total = samples;
        List<String> lines = new ArrayList<>();
        tops.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(count)
                .forEach(e -> lines.add(String.format(Locale.ROOT, "%5.1f %%  %s", 100.0 * e.getValue() / total, e.getKey())));
        lines.add(total + " samples");
        return lines;
    }

    /**
     * Bytes the server allocated over a recording, on every thread: each thread's
     * {@code jdk.ThreadAllocationStatistics} at the recording's end less at its start (JFR takes
     * them at both). A thread born or ended while recording counts for less than it allocated.
     * Exact where JFR's allocation samples are not: each sample's weight is all its thread allocated
     * since the one before, before the recording began too.
     */
    static long allocatedBytes(Path file) {
        Map<Long, long[]> firstAndLast = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (event.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
                    long allocated = event.getLong("allocated");
                    long[] seen = firstAndLast.computeIfAbsent(event.getThread("thread").getId(), id -> new long[] {allocated, allocated});
                    seen[1] = allocated;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return firstAndLast.values().stream().mapToLong(seen -> seen[1] - seen[0]).sum();
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
