package dev.rendezvous.bench;

/** One benchmark scenario: it starts the servers it needs, drives them, and stops them before it returns. */
interface Scenario {

    /** Its name in {@code bench.scenarios}. */
    String name();

    Report run(Settings settings, Affinity affinity);

    /** Why it cannot run with these settings, or null when it can. */
    default String unavailable(Settings settings) {
        return null;
    }
}
