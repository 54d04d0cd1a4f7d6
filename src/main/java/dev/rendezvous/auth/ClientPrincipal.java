package dev.rendezvous.auth;

import java.security.Principal;

/**
 * The connection's client as the handshake saw it, carried to the endpoint as the session's user
 * principal: the one per-connection value the WebSocket API passes on portably.
 */
public record ClientPrincipal(String address) implements Principal {

    @Override
    public String getName() {
        return address;
    }
}
