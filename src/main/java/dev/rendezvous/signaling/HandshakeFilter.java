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
import jakarta.servlet.http.HttpUpgradeHandler;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs before the WebSocket upgrade of {@code /signal/*}: a page from an origin that may not connect
 * gets 403, and while the application stops every upgrade gets 503 (a balancer passes it to another
 * node), so that no session is ever created for them. Declared filters run before the container's
 * own upgrade filter, which is registered to match after them.
 *
 * <p>The request it passes on carries the client's address ({@link ClientAddress}) and puts a
 * {@link LingeringUpgrade} between the container and the WebSocket implementation's upgrade handler,
 * so that a close the server decides reaches a client that is still sending. One filter and one
 * wrapper, as the implementation keeps the upgraded request, with every wrapper around it, for the
 * connection's life.
 */
@WebFilter(urlPatterns = "/signal/*", asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

    @Inject
    AuthSettings auth;

    @Inject
    ViolationLog violations;

    @Inject
    ConnectionRegistry connections;

    @Inject
    Closes closes;

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
        Upgrading upgrading = new Upgrading(request, closes.executor());
        chain.doFilter(upgrading, response);
        if (upgrading.upgraded) {
            // The handshake has read its parameters: the container's buffers for parsing them need not stay.
            UpgradeScratch.release(request);
        }
    }

    /** The request with its client's address, whose upgrade goes through a {@link LingeringUpgrade}. */
    static final class Upgrading extends ClientAddress.Attached {

        private final ScheduledExecutorService timer;
        /** Set once the implementation has upgraded the connection, on the thread that runs the filter. */
        boolean upgraded;

        Upgrading(HttpServletRequest request, ScheduledExecutorService timer) {
            super(request);
            this.timer = timer;
        }

        @Override
        public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
            T handler;
            try {
                handler = handlerClass.getConstructor().newInstance();
            } catch (ReflectiveOperationException | RuntimeException notPlain) {
                // A handler the container must build itself (injection, no public constructor) goes in as it is.
                handler = super.upgrade(handlerClass);
                upgraded = true;
                return handler;
            }
            super.upgrade(LingeringUpgrade.class).delegateTo(handler, timer);
            upgraded = true;
            return handler;
        }

        /**
         * The address the connection came in on, as it is. Tyrus asks for the local name of every
         * request it upgrades, only to note it on the session, and Grizzly answers by looking the
         * address up backwards in the system's resolver each time: a read of the hosts file at the
         * least, a DNS query where the address is not in it.
         */
        @Override
        public String getLocalName() {
            return getLocalAddr();
        }
    }
}
