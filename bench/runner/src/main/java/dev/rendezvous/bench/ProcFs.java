package dev.rendezvous.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What Linux's {@code /proc} says of a process: CPU time spent (user and system, every thread) and
 * resident memory. Read before and after a scenario's load, so the difference is the server's cost.
 */
final class ProcFs {

    /** Clock ticks a second in {@code /proc/<pid>/stat}; 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final long TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    /** User plus system CPU time of process {@code pid}, in nanoseconds (10 ms resolution). */
    static long cpuNanos(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000_000L / TICKS_PER_SECOND;
    }

    /**
     * Context switches of process {@code pid} so far, voluntary (a thread waited: for work, a lock, a
     * write) and not, summed over the threads alive now.
     */
    static long contextSwitches(long pid) {
        long[] sum = new long[1];
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            sum[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException ended) {
                    // the thread ended while the list was read
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum[0];
    }

    /**
     * CPU time of each thread of process {@code pid}, in nanoseconds, summed by thread name with its
     * digits dropped (so a pool's threads count as one), as {user, system}. Threads that ended are
     * missing; a difference of two readings is meaningful for the threads alive at both.
     */
    static Map<String, long[]> cpuByThreadGroup(long pid) {
        Map<String, long[]> groups = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    return;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long[] sum = groups.computeIfAbsent(name, n -> new long[2]);
                sum[0] += Long.parseLong(fields[11]) * 1_000_000_000L / TICKS_PER_SECOND;
                sum[1] += Long.parseLong(fields[12]) * 1_000_000_000L / TICKS_PER_SECOND;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return groups;
    }

    /**
     * The thread groups of {@link #cpuByThreadGroup} that used at least 1 % of the CPU between two
     * readings, busiest first, each as "name user+system" with the times divided by {@code per} nanoseconds.
     */
    static String busiestThreads(Map<String, long[]> before, Map<String, long[]> after, double per) {
        Map<String, long[]> used = new HashMap<>();
        long total = 0;
        for (Map.Entry<String, long[]> group : after.entrySet()) {
            long[] was = before.getOrDefault(group.getKey(), new long[2]);
            long[] delta = {group.getValue()[0] - was[0], group.getValue()[1] - was[1]};
            used.put(group.getKey(), delta);
            total += delta[0] + delta[1];
        }
        long all = Math.max(total, 1);
        return used.entrySet().stream()
                .filter(e -> (e.getValue()[0] + e.getValue()[1]) * 100 >= all)
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0] + e.getValue()[1]).reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f+%.1f", e.getKey(), e.getValue()[0] / per, e.getValue()[1] / per))
                .collect(Collectors.joining(", "));
    }

    /** Resident set size of process {@code pid} ({@code VmRSS}), in KiB. */
    static long rssKiB(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
