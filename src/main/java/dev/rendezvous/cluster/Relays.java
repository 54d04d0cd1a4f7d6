package dev.rendezvous.cluster;

import dev.rendezvous.room.LocalRelay;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Resumptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Chooses the relay once at start-up: the data grid's when the server has one (Payara with its
 * Hazelcast grid on), this node's alone otherwise (WildFly, or the grid switched off), unless
 * {@code signaling.relay=local} says to stay single node.
 */
@ApplicationScoped
public class Relays {

    /** Where Payara binds its Hazelcast instance; absent on other servers and with the grid off. */
    static final String GRID_JNDI_NAME = "payara/Hazelcast";
    private static final Logger LOG = Logger.getLogger(Relays.class.getName());

    @Inject
    @ConfigProperty(name = "signaling.relay", defaultValue = "auto")
    String mode;

    @Inject
    Relay.Wording wording;

    @Inject
    Resumptions resumptions;

    @Inject
    @ConfigProperty(name = "signaling.resume.grace", defaultValue = "30")
    int graceSeconds;

    private Relay relay;

    /**
     * The one relay, handed to injection points as itself: an application-scoped producer would
     * hand out a client proxy, which calls through reflection, and the relay is called for every
     * message. This bean, application-scoped, owns it and closes it.
     */
    @Produces
    @Dependent
    synchronized Relay relay() {
        if (relay == null) {
            relay = create();
        }
        return relay;
    }

    private Relay create() {
        if (!mode.equals("auto") && !mode.equals("local")) {
            throw new IllegalStateException("signaling.relay must be auto or local, was " + mode);
        }
        Object grid = mode.equals("auto") ? lookUpGrid() : null;
        if (grid == null) {
            LOG.info(() -> "Relay: this node alone (signaling.relay=" + mode + ", no data grid in use)");
            return new LocalRelay(wording);
        }
        // Only reached when the grid exists, so servers without Hazelcast never load its classes.
        Relay chosen = HazelcastRelay.start(grid, wording, resumptions, Duration.ofSeconds(graceSeconds));
        LOG.info(() -> "Relay: " + chosen);
        return chosen;
    }

    /** Chooses at deployment, so the log says which relay serves and a grid failure shows at once. */
    void choose(@Observes @Initialized(ApplicationScoped.class) Object started, Relay relay) {
        relay.roomCount();
    }

    @PreDestroy
    synchronized void close() {
        if (relay != null) {
            relay.close();
        }
    }

    private static Object lookUpGrid() {
        try {
            return new InitialContext().lookup(GRID_JNDI_NAME);
        } catch (NamingException | RuntimeException e) {
            return null;
        }
    }
}
