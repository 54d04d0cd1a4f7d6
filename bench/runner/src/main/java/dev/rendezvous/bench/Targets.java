package dev.rendezvous.bench;

import java.net.URI;
import java.util.List;

/**
 * The servers the speed scenarios drive side by side, in the order their figures are printed:
 * PeerJS server on a Node.js process of its own ({@code bench.peerjs.port}), the product on the
 * shared node, and the container floor beside it. Each is pinned to the servers' core; PeerJS is
 * booted by the first scenario that asks and warmed up as the shared node is ({@link Warmup}).
 */
final class Targets {

    private static Servers peerJs;
    private static String peerJsWarmup;

    private Targets() {
    }

    /** PeerJS, the product and the floor, as booted: for a scenario that reads memory before anything has grown it. */
    static List<Target> fresh(Settings settings, Affinity affinity) {
        Servers node = Servers.shared(settings, affinity);
        return List.of(peerJs(settings, affinity), product(node), floor(node));
    }

    /** PeerJS, the product and the floor, each warmed up the first time a scenario asks. */
    static List<Target> warm(Settings settings, Affinity affinity) {
        Servers node = Servers.sharedWarm(settings, affinity);
        Target peer = peerJs(settings, affinity);
        synchronized (Targets.class) {
            if (peerJsWarmup == null) {
                peerJsWarmup = "Warm-up of PeerJS before it was measured: " + Warmup.run(peer, affinity, settings.smoke()) + ".";
            }
        }
        return List.of(peer, product(node), floor(node));
    }

    /** How the servers were warmed up, a line each. */
    static List<String> warmups(Settings settings, Affinity affinity) {
        return List.of(peerJsWarmup, Servers.sharedWarm(settings, affinity).warmup());
    }

    private static synchronized Target peerJs(Settings settings, Affinity affinity) {
        if (peerJs == null) {
            Bench.progress("starting PeerJS server on port " + settings.peerJsPort());
            peerJs = Servers.one(affinity, () -> PeerJsNode.start(settings.peerJsPort()));
        }
        return new Target(Target.PEERJS, URI.create("ws://127.0.0.1:" + settings.peerJsPort() + "/peerjs"), PeerJsDialect.INSTANCE,
                peerJs.pid(0));
    }

    private static Target product(Servers node) {
        return Target.product(node.node(0), node.pid(0));
    }

    private static Target floor(Servers node) {
        return new Target(Target.FLOOR, node.floor(0), RendezvousDialect.INSTANCE, node.pid(0));
    }

    static synchronized void close() {
        if (peerJs != null) {
            peerJs.close();
            peerJs = null;
            peerJsWarmup = null;
        }
    }
}
