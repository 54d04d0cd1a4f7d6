package dev.rendezvous.ops;

import dev.rendezvous.room.Relay;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.Optional;

/**
 * Readiness ({@code /health/ready}): UP while the relay is chosen and usable (for a cluster, its
 * data grid member running), DOWN from the moment the application starts shutting down, so a load
 * balancer stops sending new clients before the sockets close with 1012. Kept apart from everything
 * else: on a server without MicroProfile Health this class does not load and nothing misses it.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    static final String NAME = "rendezvous-relay";

    @Inject
    Relay relay;

    private volatile boolean stopping;

    /** Before the sockets close (Stopping observes the same event at the default priority, later). */
    void stopping(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @BeforeDestroyed(ApplicationScoped.class) Object ending) {
        stopping = true;
    }

    @Override
    public HealthCheckResponse call() {
        if (stopping) {
            return response(false, "stopping");
        }
        try {
            return relay.ready() ? response(true, relay.toString()) : response(false, "relay not usable: " + relay);
        } catch (RuntimeException e) {
            // A probe must get an answer: Payara answers 500 for a check that throws.
            return response(false, "relay failed: " + e);
        }
    }

    private static HealthCheckResponse response(boolean up, String relay) {
        return new HealthCheckResponse(NAME, up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(Map.of("relay", relay)));
    }
}
