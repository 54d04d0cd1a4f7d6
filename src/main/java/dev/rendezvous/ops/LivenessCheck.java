package dev.rendezvous.ops;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Optional;

/**
 * Liveness ({@code /health/live}): DOWN only for what a restart cures, here threads deadlocked on
 * monitors or locks (they never come back, and whatever they hold stops the rest). Kept apart from
 * everything else: on a server without MicroProfile Health this class does not load.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    static final String NAME = "rendezvous-threads";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override
    public HealthCheckResponse call() {
        long[] deadlocked = THREADS.findDeadlockedThreads();
        int count = deadlocked == null ? 0 : deadlocked.length;
        return new HealthCheckResponse(NAME, count == 0 ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(Map.of("deadlocked", count)));
    }
}
