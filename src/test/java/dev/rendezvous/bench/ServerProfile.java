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

/**
 * A JDK Flight Recorder recording of a running server, started and stopped with {@code jcmd} (so the
 * server is launched as it always is), and the methods its execution samples were most often in.
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

    /** The heap the server uses now, in KiB ({@code jcmd GC.heap_info}). */
    static long heapUsedKiB(long pid) {
        Matcher used = Pattern.compile("used (\\d+)K").matcher(run(tool("jcmd"), Long.toString(pid), "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info of " + pid + " says nothing of the heap used");
        }
        return Long.parseLong(used.group(1));
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
