package dev.rendezvous.signaling;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Where a socket's close runs when it cannot run on the thread that decides it: a lingering
 * connection's end ({@link LingeringUpgrade}), a refused connection's close a moment after its
 * error ({@link ConnectionRegistry#closeRefused}), and a close that another member's fan-out
 * triggered ({@link SessionOutbox}).
 *
 * <p>A plain scheduler on threads from the container's {@link ManagedThreadFactory}: a thread
 * carries the application's context from its start, so a task costs nothing more. The container's
 * managed executors capture context for every task, and Payara's capture asks {@code ServiceLoader}
 * for context providers, a walk over every jar of the runtime. Profiled while 2,000 clients at a
 * time joined and left, the two captures each closed connection cost were 31 % of the server's CPU.
 *
 * <p>Both threads start with the scheduler, on the application's thread that first needs it, and
 * stay: a thread the factory made later, for a close asked on one of the data grid's threads, would
 * carry that thread's context instead, for every close after.
 */
@ApplicationScoped
public class Closes {

    /** Two, so that a close that is slow to hand its frame over does not hold up every other. */
    private static final int THREADS = 2;

    @Resource
    ManagedThreadFactory threads;

    private ScheduledThreadPoolExecutor executor;

    @PostConstruct
    void start() {
        executor = new ScheduledThreadPoolExecutor(THREADS, threads);
        executor.prestartAllCoreThreads();
        // Most lingering closes end long before their timeout, which is then cancelled: out of the queue at once.
        executor.setRemoveOnCancelPolicy(true);
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    /**
     * Takes no new close; those already due later still run (the executor's default), so a lingering
     * connection still ends. A close refused from now on runs on its caller's thread, as each caller says.
     */
    @PreDestroy
    void stop() {
        executor.shutdown();
    }
}
