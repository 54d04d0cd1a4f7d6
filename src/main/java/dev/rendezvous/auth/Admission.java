package dev.rendezvous.auth;

/** What an access token allows: in (perhaps with a name and a capacity of its own), or not, and why. */
public sealed interface Admission {

    /** Let in; {@code name} and {@code maxPeers} are {@code null} when the token does not set them. */
    record Admitted(String name, Integer maxPeers) implements Admission {
    }

    record Denied(String reason) implements Admission {
    }

    Admitted OPEN = new Admitted(null, null);
}
