package dev.rendezvous.auth;

/** What an access token allows: in (perhaps with a name and a capacity of its own), or not, and why. */
public sealed interface Access {

    /** Let in; {@code name} and {@code maxPeers} are {@code null} when the token does not set them. */
    record Granted(String name, Integer maxPeers) implements Access {
    }

    record Denied(String reason) implements Access {
    }

    Granted OPEN = new Granted(null, null);
}
