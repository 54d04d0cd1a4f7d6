package dev.rendezvous.signaling;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;

import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives Tyrus, the WebSocket engine of Payara and GlassFish, a plain scheduler for its session
 * idle timers instead of the container's managed one.
 *
 * <p>Tyrus re-arms a session's idle timer on every frame received and every message sent, even
 * with no idle timeout set, on the executor it found at
 * {@code java:comp/DefaultManagedScheduledExecutorService}. Payara's managed executor captures
 * thread context for each task it is given, and the capture asks {@code ServiceLoader} for
 * thread-context providers: a walk over every jar of the runtime, for each message. Profiled
 * under load that was more than half of the server's CPU, about 1 ms per relayed message. This
 * endpoint sets no idle timeout (its heartbeat finds dead sockets), so Tyrus's timer tasks do
 * nothing when they run and need no context; they run with this application's class loader all
 * the same.
 *
 * <p>With no idle timeout Tyrus schedules its timer with no delay, and the task, when it runs,
 * sees the timeout is off and returns. {@link IdleTimerExecutor} runs such tasks at once on the
 * caller's thread instead of waking its own thread for each: twice per relayed message.
 *
 * <p>The swap reaches into Tyrus by reflection, so it is guarded: on any other container (WildFly's
 * Undertow), or a Tyrus whose shape differs, nothing changes and the log says so.
 *
 * <p>A little over the usual length: the reflective swap and the checks that keep it safe go together.
 */
@WebListener
public class TyrusIdleTimers implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(TyrusIdleTimers.class.getName());
    /** The field of Tyrus's {@code BaseContainer} that holds the managed scheduler it looked up. */
    private static final String FIELD = "managedScheduledExecutorService";
    private static final long IDLE_THREAD_SECONDS = 30;

    /**
     * Not shut down with the application: sessions the container is still closing keep scheduling
     * on it, and would fail if it refused them. Its one thread ends when idle, and the executor
     * goes with the container that holds it.
     */
    @Override
    public void contextInitialized(ServletContextEvent event) {
        Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
        Field field = container == null ? null : find(container.getClass());
        if (field == null) {
            LOG.log(Level.INFO, "WebSocket container {0} keeps its own idle timers",
                    container == null ? "(none)" : container.getClass().getName());
            return;
        }
        ClassLoader application = Thread.currentThread().getContextClassLoader();
        ScheduledThreadPoolExecutor timers = new IdleTimerExecutor(task -> {
            Thread thread = new Thread(task, "rendezvous-tyrus-idle-timers");
            thread.setDaemon(true);
            thread.setContextClassLoader(application);
            return thread;
        });
        // Tyrus cancels and re-schedules on every message: cancelled tasks must leave the queue at once.
        timers.setRemoveOnCancelPolicy(true);
        timers.setKeepAliveTime(IDLE_THREAD_SECONDS, TimeUnit.SECONDS);
        timers.allowCoreThreadTimeOut(true);
        try {
            field.setAccessible(true);
            if (field.get(container) == null) {
                throw new IllegalStateException("the container holds no managed scheduler");
            }
            field.set(container, timers);
            LOG.info("Tyrus session idle timers run on a plain scheduler instead of the managed one");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.INFO, "Tyrus keeps its managed scheduler for session idle timers: {0}", e.toString());
            timers.shutdownNow();
        }
    }

    private static Field find(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().startsWith("org.glassfish.tyrus.")) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.getName().equals(FIELD) && field.getType() == ScheduledExecutorService.class) {
                        return field;
                    }
                }
            }
        }
        return null;
    }

    /** A one-thread scheduler that runs tasks due now on the caller's thread. */
    static final class IdleTimerExecutor extends ScheduledThreadPoolExecutor {

        IdleTimerExecutor(ThreadFactory threads) {
            super(1, threads);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (delay > 0 || isShutdown()) {
                return super.schedule(command, delay, unit);
            }
            command.run();
            return Ran.INSTANCE;
        }
    }

    /** What {@link IdleTimerExecutor#schedule} answers for a task it ran at once: done, never cancelled. */
    private static final class Ran implements ScheduledFuture<Object> {

        static final Ran INSTANCE = new Ran();

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
