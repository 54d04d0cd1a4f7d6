package dev.rendezvous.bench;

import java.net.URI;

/**
 * A server the speed scenarios drive side by side: PeerJS, the product, or the container floor
 * beside it; its {@code ws://} base, the dialect its members speak, and the process whose CPU and
 * memory are its cost.
 */
record Target(String name, URI base, Dialect dialect, long pid) {

    static final String PEERJS = "PeerJS";
    static final String PRODUCT = "product";
    static final String FLOOR = "floor";

    /** The product's endpoint on a node ({@code ws://…/signal/}), whose process may be unknown (-1). */
    static Target product(URI node, long pid) {
        return new Target(PRODUCT, node, RendezvousDialect.INSTANCE, pid);
    }
}
