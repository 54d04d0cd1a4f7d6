package dev.rendezvous.ops;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets a request reach the administration API only with the admin token as
 * {@code Authorization: Bearer …}; anything else gets 401 before the request body is even read,
 * and a body that would never end (below) gets 400.
 * It runs after matching, so it guards whatever matched {@link AdminResource}, however the path was spelt.
 */
@Priority(Priorities.AUTHENTICATION)
public class AdminGuard implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminGuard.class.getName());

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (resource.getResourceClass() != AdminResource.class) {
            return;
        }
        Response refusal = refusal(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (refusal == null) {
            refusal = unframedBody(request);
        }
        if (refusal != null) {
            request.abortWith(refusal);
        }
    }

    /**
     * The 400 for a request with a body that also asks to upgrade the connection, or null. Grizzly
     * (Payara) hands such a body on as the upgraded connection's raw bytes, never ending, so reading
     * it would wait until the client gave up. The API upgrades nothing; {@code h2c}, which the
     * container handles itself, is let through.
     */
    static Response unframedBody(ContainerRequestContext request) {
        String upgrade = request.getHeaderString("Upgrade");
        if (upgrade == null || upgrade.isBlank() || upgrade.trim().equalsIgnoreCase("h2c")) {
            return null;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean body = request.getHeaderString("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
        if (!body) {
            return null;
        }
        return AdminProblem.of(AdminProblem.Code.BAD_REQUEST,
                "a request with a body cannot also ask to upgrade the connection; send it without the Upgrade header");
    }

    /** The 401 for a request with this {@code Authorization} header, or null when it carries the admin token. */
    static Response refusal(String authorization) {
        if (CDI.current().select(AdminSettings.class).get().accepts(authorization)) {
            return null;
        }
        LOG.log(Level.FINE, "Refused an administration request ({0} token)", authorization == null ? "no" : "a wrong");
        return AdminProblem.of(AdminProblem.Code.UNAUTHORIZED,
                authorization == null ? "the admin token is required (Authorization: Bearer …)" : "the admin token is wrong");
    }
}
