package dev.rendezvous;

import dev.rendezvous.ice.IceServersResource;
import dev.rendezvous.ops.AdminGuard;
import dev.rendezvous.ops.AdminOptionsGuard;
import dev.rendezvous.ops.AdminResource;
import dev.rendezvous.ops.AdminRoutingErrors;
import dev.rendezvous.ops.AdminSettings;
import dev.rendezvous.ops.MetricsResource;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Jakarta REST resources live under {@code /api}. They are listed here, not found by scanning, so
 * that the administration API is not there at all (404, nothing registered to answer) unless
 * {@code signaling.admin.token} is set. A new resource must be added here.
 */
@ApplicationPath("api")
public class RestApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return classes(CDI.current().select(AdminSettings.class).get().enabled());
    }

    /** No WADL: it would describe every resource, the administration API included, to anyone who asks. */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }

    static Set<Class<?>> classes(boolean admin) {
        Set<Class<?>> classes = new HashSet<>(Set.of(IceServersResource.class, MetricsResource.class));
        if (admin) {
            classes.add(AdminResource.class);
            classes.add(AdminGuard.class);
            classes.add(AdminOptionsGuard.class);
            classes.add(AdminRoutingErrors.class);
        }
        return classes;
    }
}
