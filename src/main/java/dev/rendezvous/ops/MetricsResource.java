package dev.rendezvous.ops;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/metrics}: this node's metrics in the Prometheus text format. Served by the WAR
 * itself rather than a server's MicroProfile Metrics, which WildFly no longer has, so every server
 * exposes the same names.
 */
@Path("metrics")
public class MetricsResource {

    @Inject
    MetricRegistry metrics;

    @GET
    @Produces(Exposition.CONTENT_TYPE)
    public Response get() {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(metrics.scrape()).cacheControl(noStore).build();
    }
}
