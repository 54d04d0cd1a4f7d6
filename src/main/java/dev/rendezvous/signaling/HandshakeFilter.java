package dev.rendezvous.signaling;

import dev.rendezvous.auth.AuthSettings;
import dev.rendezvous.auth.ClientAddress;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Runs before the WebSocket upgrade of {@code /signal/*}: a page from an origin that may not connect
 * gets 403, and while the application stops every upgrade gets 503 (a balancer passes it to another
 * node), so that no session is ever created for them. Declared filters run before the container's
 * own upgrade filter, which is registered to match after them.
 */
@WebFilter(urlPatterns = "/signal/*", asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

    @Inject
    AuthSettings auth;

    @Inject
    ViolationLog violations;

    @Inject
    ConnectionRegistry connections;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (connections.stopping()) {
            // A client sent away with 1012 comes back at once: to another node, where there is one.
            response.setHeader("Retry-After", "1");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "This node is stopping");
            return;
        }
        String origin = request.getHeader("Origin");
        if (!auth.origins().allows(origin, request.getHeader("Host"))) {
            violations.refusedOrigin(request.getRemoteAddr(), origin);
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "This origin may not open signaling connections");
            return;
        }
        chain.doFilter(ClientAddress.attach(request), response);
    }
}
