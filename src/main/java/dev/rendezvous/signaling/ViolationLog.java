package dev.rendezvous.signaling;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Client protocol violations, logged at WARNING as {@code key=value} fields with the client's
 * address, never with message contents (SDP and candidates carry addresses). A bad client must not
 * flood the log: {@value #LINES_PER_SECOND} lines a second at most, all clients together, and what
 * is left out is counted in one line every {@value #SUMMARY_SECONDS} seconds.
 */
@ApplicationScoped
public class ViolationLog {

    static final int LINES_PER_SECOND = 10;
    static final int SUMMARY_SECONDS = 10;
    /** Longest value written; client-chosen values (a bad room name, an origin) are cut there. */
    static final int MAX_VALUE_LENGTH = 80;
    private static final Logger LOG = Logger.getLogger(ViolationLog.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final LogBudget budget = new LogBudget(LINES_PER_SECOND, System.nanoTime());
    private ScheduledFuture<?> summaries;
    /** When the last summary was written (System.nanoTime); only the summary writes it. */
    private volatile long lastSummary = System.nanoTime();

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        summaries = scheduler.scheduleAtFixedRate(this::summarize, SUMMARY_SECONDS, SUMMARY_SECONDS, TimeUnit.SECONDS);
    }

    /** A client at {@code address} broke the protocol in {@code room} (may be null): {@code code} says how. */
    public void report(String code, String address, String room) {
        if (LOG.isLoggable(Level.WARNING) && budget.admit(System.nanoTime())) {
            LOG.warning(line(code, address, "room", room));
        }
    }

    /** A page from {@code origin} tried to open a signaling socket and was refused. */
    public void refusedOrigin(String address, String origin) {
        if (LOG.isLoggable(Level.WARNING) && budget.admit(System.nanoTime())) {
            LOG.warning(line("FORBIDDEN_ORIGIN", address, "origin", origin));
        }
    }

    /** {@code event=protocol-violation code=… address=… key=…}, every value safe for one log line. */
    static String line(String code, String address, String key, String value) {
        StringBuilder line = new StringBuilder(128).append("event=protocol-violation code=").append(code);
        field(line, "address", address);
        field(line, key, value);
        return line.toString();
    }

    /** Appends {@code key=value}, quoting and escaping a value that is not plain, and cutting a long one. */
    static void field(StringBuilder line, String key, String value) {
        if (value == null) {
            return;
        }
        line.append(' ').append(key).append('=');
        boolean cut = value.length() > MAX_VALUE_LENGTH;
        String shown = cut ? value.substring(0, MAX_VALUE_LENGTH) : value;
        if (!cut && !shown.isEmpty() && shown.chars().allMatch(ViolationLog::plain)) {
            line.append(shown);
            return;
        }
        line.append('"');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || Character.isSpaceChar(c) && c != ' '
                    || Character.getType(c) == Character.FORMAT) {
                line.append(String.format("\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
        line.append(cut ? "...\"" : "\"");
    }

    private static boolean plain(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '[' || c == ']' || c == '%';
    }

    private synchronized void summarize() {
        try {
            long now = System.nanoTime();
            long suppressed = budget.takeSuppressed();
            if (suppressed > 0) {
                LOG.log(Level.WARNING, "event=protocol-violations-suppressed count={0} seconds={1}",
                        new Object[] {Long.toString(suppressed), Long.toString(TimeUnit.NANOSECONDS.toSeconds(now - lastSummary))});
            }
            lastSummary = now;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Violation log summary failed; the next one runs as usual", e);
        }
    }

    @PreDestroy
    void stop() {
        if (summaries != null) {
            summaries.cancel(false);
        }
        summarize();
    }
}
