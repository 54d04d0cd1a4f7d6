package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tyrus schedules {@code Runnable}s, so the tasks here are blocks: an expression lambda would be a {@code Callable}. */
class TyrusIdleTimersTest {

    private final TyrusIdleTimers.IdleTimerExecutor timers =
            new TyrusIdleTimers.IdleTimerExecutor(task -> new Thread(task, "idle-timer-test"));

    @Test
    void aTaskDueNowRunsOnTheCallersThreadAndIsDone() {
        Thread[] ranOn = new Thread[1];
        ScheduledFuture<?> future = timers.schedule(() -> {
            ranOn[0] = Thread.currentThread();
        }, 0, TimeUnit.MILLISECONDS);
        assertSame(Thread.currentThread(), ranOn[0]);
        assertTrue(future.isDone());
        assertFalse(future.cancel(false));
        assertEquals(0, timers.getQueue().size());
        timers.shutdownNow();
    }

    @Test
    void aTaskWithADelayWaitsForItOnTheSchedulersThread() throws Exception {
        SynchronousQueue<Thread> ranOn = new SynchronousQueue<>();
        long start = System.nanoTime();
        timers.schedule(() -> {
            ranOn.offer(Thread.currentThread());
        }, 50, TimeUnit.MILLISECONDS);
        Thread thread = ranOn.poll(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        assertNotEquals(Thread.currentThread(), thread);
        timers.shutdownNow();
    }
}
