package dev.rendezvous.browser;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One headless Firefox ESR, driven over WebDriver BiDi by {@code src/test/node/firefox.mjs}
 * (npm puppeteer-core) as a child process: a JSON command per line in, a JSON answer per line out.
 * Its tabs are pages of the suite, read and driven by JavaScript run in them.
 */
final class Firefox implements AutoCloseable {

    private static final Path SCRIPT = NativePeer.HOME.resolve("firefox.mjs");
    /** A Firefox start took 8–12 s on a loaded machine. */
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration ANSWER = Duration.ofSeconds(60);

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
    private int lastId;

    private Firefox(Process process) {
        this.process = process;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "firefox-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts Firefox (Debian's firefox-esr unless {@code -Dfirefox.binary} says otherwise); its log goes to {@code logs}. */
    static Firefox start(Path logs) throws IOException, InterruptedException {
        if (!Files.isDirectory(NativePeer.HOME.resolve("node_modules/puppeteer-core"))) {
            throw new AssertionError("puppeteer-core is missing from " + NativePeer.HOME.resolve("node_modules")
                    + ": run 'npm ci --prefix src/test/node' online before the browser suite, as .ci/run does");
        }
        Files.createDirectories(logs);
        Process process = new ProcessBuilder("node", SCRIPT.toAbsolutePath().toString(),
                "--binary", System.getProperty("firefox.binary", "/usr/lib/firefox-esr/firefox-esr"))
                .redirectError(logs.resolve("firefox.stderr.log").toFile())
                .start();
        Firefox firefox = new Firefox(process);
        JsonObject ready = firefox.answers.poll(START.toSeconds(), TimeUnit.SECONDS);
        if (ready == null || !ready.getBoolean("ready", false)) {
            firefox.close();
            throw new AssertionError("Firefox did not start within " + START + ": " + ready + "; see " + logs);
        }
        return firefox;
    }

    /** Opens {@code url} in a new tab and returns it once loaded. */
    Tab open(String url) {
        return new Tab(call(Json.createObjectBuilder().add("cmd", "open").add("url", url)).getInt("page"));
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                try (JsonReader reader = Json.createReader(new StringReader(line))) {
                    answers.add(reader.readObject());
                } catch (RuntimeException notJson) {
                    answers.add(Json.createObjectBuilder().add("error", "unreadable: " + line).build());
                }
            }
        } catch (IOException ended) {
            // the process is gone; a waiting call times out
        }
    }

    /** One command at a time: the script answers them in order. */
    private synchronized JsonObject call(jakarta.json.JsonObjectBuilder command) {
        int id = ++lastId;
        try {
            commands.write(command.add("id", id).build() + "\n");
            commands.flush();
            long deadline = System.nanoTime() + ANSWER.toNanos();
            while (true) {
                JsonObject answer = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (answer == null) {
                    throw new AssertionError("Firefox gave no answer to command " + id + " within " + ANSWER);
                }
                if (answer.containsKey("error") && (!answer.containsKey("id") || answer.isNull("id") || answer.getInt("id") == id)) {
                    throw new AssertionError("Firefox: " + answer.getString("error"));
                }
                if (answer.containsKey("id") && !answer.isNull("id") && answer.getInt("id") == id) {
                    return answer;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            commands.close(); // the script closes the browser when its input ends
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** One Firefox tab. */
    final class Tab {

        private final int page;

        private Tab(int page) {
            this.page = page;
        }

        /** Runs {@code body} (a function body, which may {@code await}) in the tab and returns what it returns. */
        JsonValue eval(String body) {
            JsonObject answer = call(Json.createObjectBuilder().add("cmd", "eval").add("page", page).add("js", body));
            return answer.containsKey("value") ? answer.get("value") : JsonValue.NULL;
        }

        String string(String expression) {
            JsonValue value = eval("return " + expression + ";");
            return value instanceof JsonString s ? s.getString() : value == JsonValue.NULL ? "" : value.toString();
        }

        long number(String expression) {
            return ((JsonNumber) eval("return " + expression + ";")).longValue();
        }

        /** Waits until {@code condition} (a JavaScript expression) is true in the tab. */
        void await(String what, Duration wait, String condition) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                if (eval("return Boolean(" + condition + ");") == JsonValue.TRUE) {
                    return;
                }
                Browser.pause(200);
            }
            throw new AssertionError("timed out after " + wait.toSeconds() + " s waiting until " + what
                    + " in Firefox; status line: '" + string("document.querySelector('#status').textContent") + "'");
        }

        /** Types {@code text} into the chat and sends it. */
        void say(String text) {
            eval("const input = document.querySelector('#chat-input'); input.value = " + Json.createValue(text)
                    + "; document.querySelector('#chat-send').click();");
        }

        /** Whether a chat message {@code text} from {@code from} is shown. */
        String shows(String from, String text) {
            return "[...document.querySelectorAll('#chat-log .msg')].some(m => m.querySelector('.from').textContent === "
                    + Json.createValue(from) + " && m.querySelector('.text').textContent === " + Json.createValue(text) + ")";
        }

        /** Closes the tab as its person would. */
        void close() {
            call(Json.createObjectBuilder().add("cmd", "close").add("page", page));
        }

        List<String> peers() {
            return eval("return [...document.querySelectorAll('#peers [data-peer]')].map(e => e.dataset.peer).sort();")
                    .asJsonArray().getValuesAs(JsonString::getString);
        }
    }
}
