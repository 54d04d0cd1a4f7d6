package dev.rendezvous.ops;

/** One metric family, written in the Prometheus text exposition format (version 0.0.4). */
interface Metric {

    /** Appends the family's {@code # HELP} and {@code # TYPE} lines and its samples. */
    void writeTo(StringBuilder out);
}
