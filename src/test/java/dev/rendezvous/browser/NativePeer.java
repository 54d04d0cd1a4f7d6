package dev.rendezvous.browser;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The Node.js peer of {@code src/test/node} (written from docs/PEER.md alone) as a child process:
 * each line it prints is a JSON event, each line written to it a JSON command.
 */
final class NativePeer implements AutoCloseable {

    static final Path HOME = Path.of("src/test/node");
    private static final Path SCRIPT = HOME.resolve("peer.mjs");

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<JsonObject> arriving = new LinkedBlockingQueue<>();
    /** Every event so far, in order: a wait looks at those that came before it too. */
    private final List<JsonObject> events = new ArrayList<>();
    private final Path eventLog;

    private NativePeer(Process process, Path eventLog) {
        this.process = process;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        this.eventLog = eventLog;
        Thread reader = new Thread(this::read, "native-peer-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Fails with what to do when {@code npm ci} has not been run: the suite itself runs offline. */
    static void requireModules() {
        if (!Files.isDirectory(HOME.resolve("node_modules/node-datachannel"))) {
            throw new AssertionError("The native peer's npm modules are missing (" + HOME.resolve("node_modules")
                    + "): run 'npm ci --prefix src/test/node' online before the browser suite, as .ci/run does");
        }
    }

    /**
     * Starts the peer, which joins {@code room} on the server at {@code server} (the ws:// base) at once.
     * @param flags the peer's options, e.g. {@code --candidates-first}, {@code --in-band}, {@code --never-offer}
     */
    static NativePeer start(String server, String room, String name, Path logs, String... flags) throws IOException {
        requireModules();
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>(List.of("node", "--experimental-websocket", "--no-warnings",
                SCRIPT.toAbsolutePath().toString(), "--server", server, "--room", room, "--name", name));
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command)
                .redirectError(logs.resolve(name + ".stderr.log").toFile())
                .start();
        return new NativePeer(process, logs.resolve(name + ".events.log"));
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Files.writeString(eventLog, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                try (JsonReader reader = Json.createReader(new StringReader(line))) {
                    arriving.add(reader.readObject());
                } catch (RuntimeException notJson) {
                    arriving.add(Json.createObjectBuilder().add("event", "unreadable").add("line", line).build());
                }
            }
        } catch (IOException ended) {
            // the process is gone; a wait that needed more fails with the events it saw
        }
    }

    /** The first event named {@code name} that {@code matches}, waiting for it up to {@link Browser#WAIT}. */
    JsonObject await(String name, Predicate<JsonObject> matches) {
        long deadline = System.nanoTime() + Browser.WAIT.toNanos();
        int looked = 0;
        while (true) {
            synchronized (events) {
                for (; looked < events.size(); looked++) {
                    JsonObject event = events.get(looked);
                    if (name.equals(event.getString("event", "")) && matches.test(event)) {
                        return event;
                    }
                }
            }
            long left = deadline - System.nanoTime();
            JsonObject next;
            try {
                next = left > 0 ? arriving.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (next == null) {
                throw new AssertionError("the native peer never reported " + name + " within " + Browser.WAIT.toSeconds()
                        + " s; it reported " + events() + (process.isAlive() ? "" : " and exited with " + process.exitValue()));
            }
            synchronized (events) {
                events.add(next);
            }
        }
    }

    JsonObject await(String name) {
        return await(name, event -> true);
    }

    /** The events named {@code name} seen so far. */
    List<JsonObject> seen(String name) {
        synchronized (events) {
            return events.stream().filter(e -> name.equals(e.getString("event", ""))).toList();
        }
    }

    private String events() {
        synchronized (events) {
            return events.toString();
        }
    }

    void chat(String text) throws IOException {
        send(Json.createObjectBuilder().add("chat", text).build());
    }

    private void send(JsonObject command) throws IOException {
        commands.write(command.toString() + "\n");
        commands.flush();
    }

    /** Leaves the room (bye) and waits for the process to end; kills it if it does not. */
    @Override
    public void close() {
        try {
            send(Json.createObjectBuilder().add("leave", true).build());
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                return;
            }
        } catch (IOException gone) {
            // it ended already, or is past listening
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
