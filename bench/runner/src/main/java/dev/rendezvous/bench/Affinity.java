package dev.rendezvous.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU pinning with {@code taskset -a -p}: every thread of a running process, and so every thread
 * it starts later (a new thread, and a child process, inherit the mask of the thread that made
 * them). Servers are pinned once they are deployed rather than launched pinned, so their JVMs size
 * themselves (garbage collector, thread pools) for the machine as a production server would.
 */
final class Affinity {

    private static final Path TASKSET = find();
    private static final int ATTEMPTS = 5;

    private final boolean enabled;
    /** Counted before anything is pinned: a pinned JVM counts only the CPUs it may use. */
    private final int cpus;

    private Affinity(boolean enabled, int cpus) {
        this.enabled = enabled;
        this.cpus = cpus;
    }

    /** Pins when asked to, {@code taskset} exists and there are at least two CPUs; otherwise does nothing. */
    static Affinity of(Settings settings) {
        int cpus = Runtime.getRuntime().availableProcessors();
        return new Affinity(settings.pin() && TASKSET != null && cpus >= 2, cpus);
    }

    boolean enabled() {
        return enabled;
    }

    /** Where servers run. */
    void server(long pid) {
        set(pid, "0");
    }

    /** This generator, while it measures. */
    void generator() {
        set(ProcessHandle.current().pid(), "1");
    }

    /** This generator on every CPU again: servers started from it inherit the mask of the thread that starts them. */
    void release() {
        set(ProcessHandle.current().pid(), "0-" + (cpus - 1));
    }

    private void set(long pid, String cpus) {
        if (!enabled) {
            return;
        }
        String output = "";
        // A thread that ends while taskset walks the process's threads fails that walk; the next one goes through.
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                Process taskset = new ProcessBuilder(TASKSET.toString(), "-a", "-p", "-c", cpus, Long.toString(pid))
                        .redirectErrorStream(true).start();
                output = new String(taskset.getInputStream().readAllBytes());
                if (taskset.waitFor(10, TimeUnit.SECONDS) && taskset.exitValue() == 0) {
                    return;
                }
            } catch (IOException e) {
                throw new IllegalStateException("taskset could not be run", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pinning", e);
            }
        }
        throw new IllegalStateException("taskset could not pin process " + pid + " to CPU " + cpus + ": " + output);
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "taskset");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return enabled ? "servers pinned to CPU 0, generator to CPU 1 (taskset)" : "not pinned";
    }
}
