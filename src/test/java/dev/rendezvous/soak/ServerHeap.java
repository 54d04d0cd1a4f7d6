package dev.rendezvous.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The server JVM's live heap and live objects, read with {@code jcmd} from the JDK running the tests. */
final class ServerHeap {

    /** A generation or region line of {@code GC.heap_info}: "garbage-first heap   total 262144K, used 51234K [...". */
    private static final Pattern USED = Pattern.compile("^\\s*(?!Metaspace|class space)\\S.*\\btotal \\d+K, used (\\d+)K");
    /** A {@code GC.class_histogram} row: "   7:          1000          24000  dev.rendezvous.room.Member (module)". */
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private ServerHeap() {
    }

    /**
     * Heap in use after full collections, in KiB. Two {@code GC.run}s: objects kept only for a
     * finaliser or a cleaner survive the first one.
     */
    static long usedAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        long used = 0;
        boolean found = false;
        for (String line : info.split("\n")) {
            Matcher matcher = USED.matcher(line);
            if (matcher.find()) {
                used += Long.parseLong(matcher.group(1));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no heap figures in jcmd GC.heap_info output:\n" + info);
        }
        return used;
    }

    /**
     * How many objects of each of {@code classes} are live, leaving out those with none (the
     * histogram runs a full collection first).
     */
    static Map<String, Long> liveInstances(long pid, Collection<String> classes) throws IOException, InterruptedException {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            Matcher matcher = ROW.matcher(line);
            if (matcher.find() && classes.contains(matcher.group(3))) {
                counts.put(matcher.group(3), Long.parseLong(matcher.group(1)));
            }
        }
        return counts;
    }

    /** The bytes of live objects of every class (the histogram runs a full collection first). */
    static Map<String, Long> liveBytes(long pid) throws IOException, InterruptedException {
        Map<String, Long> bytes = new TreeMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            Matcher matcher = ROW.matcher(line);
            if (matcher.find()) {
                bytes.merge(matcher.group(3), Long.parseLong(matcher.group(2)), Long::sum);
            }
        }
        return bytes;
    }

    /** The {@code limit} classes whose live bytes grew most from {@code before} to {@code after}, as "KiB class" lines. */
    static String grownMost(Map<String, Long> before, Map<String, Long> after, int limit) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .map(e -> String.format("%+,9d KiB  %s", e.getValue() / 1024, e.getKey()))
                .collect(Collectors.joining("\n    ", "    ", ""));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + output);
        }
        return output;
    }
}
