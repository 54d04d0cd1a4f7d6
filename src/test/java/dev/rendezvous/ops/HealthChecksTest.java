package dev.rendezvous.ops;

import dev.rendezvous.room.LocalRelay;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.TestWording;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HealthChecksTest {

    private static final Relay.Wording WORDS = TestWording.INSTANCE;

    private static ReadinessCheck readiness(Relay relay) {
        ReadinessCheck check = new ReadinessCheck();
        check.relay = relay;
        return check;
    }

    @Test
    void readyWhileTheRelayIsUsable() {
        HealthCheckResponse response = readiness(new LocalRelay(WORDS)).call();
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals("rendezvous-relay", response.getName());
        assertEquals("this node alone", response.getData().orElseThrow().get("relay"));
    }

    @Test
    void notReadyOnceTheApplicationStartsStopping() {
        ReadinessCheck check = readiness(new LocalRelay(WORDS));
        check.stopping(new Object());
        HealthCheckResponse response = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals("stopping", response.getData().orElseThrow().get("relay"));
    }

    @Test
    void notReadyWithAClosedRelay() {
        LocalRelay relay = new LocalRelay(WORDS);
        relay.close();
        assertEquals(HealthCheckResponse.Status.DOWN, readiness(relay).call().getStatus());
    }

    @Test
    void aRelayThatFailsMakesItNotReadyRatherThanThrow() {
        Relay broken = new LocalRelay(WORDS) {
            @Override
            public boolean ready() {
                throw new IllegalStateException("Hazelcast instance is not active");
            }
        };
        HealthCheckResponse response = readiness(broken).call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertTrue(response.getData().orElseThrow().get("relay").toString().contains("not active"));
    }

    @Test
    void aliveUntilThreadsDeadlock() throws Exception {
        LivenessCheck liveness = new LivenessCheck();
        assertEquals(HealthCheckResponse.Status.UP, liveness.call().getStatus());

        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread a = new Thread(() -> lockBoth(first, second, bothHoldOne));
        Thread b = new Thread(() -> lockBoth(second, first, bothHoldOne));
        a.setDaemon(true);
        b.setDaemon(true);
        a.start();
        b.start();
        try {
            HealthCheckResponse response = await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1)).until(liveness::call, down -> down.getStatus() == HealthCheckResponse.Status.DOWN);
            assertEquals(2, response.getData().orElseThrow().get("deadlocked"));
        } finally {
            a.interrupt();
            b.interrupt();
            a.join();
            b.join();
        }
        assertEquals(HealthCheckResponse.Status.UP, liveness.call().getStatus(), "alive again once they are gone");
    }

    /** Takes {@code mine}, waits until the other thread holds its lock, then waits for that one (interruptibly). */
    private static void lockBoth(ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHoldOne) {
        mine.lock();
        try {
            bothHoldOne.countDown();
            bothHoldOne.await(10, TimeUnit.SECONDS);
            theirs.lockInterruptibly();
            theirs.unlock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            mine.unlock();
        }
    }
}
