package dev.rendezvous.ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * A counter with one label whose values are all known up front (a message type, an error code),
 * so the hot path counts by index: no map, no string, no allocation, no lock. Every value is
 * written, zeros included, so a rate over it never starts from a missing series.
 */
final class LabeledCounter implements Metric {

    private final String name;
    private final String help;
    private final String label;
    private final String[] values;
    private final LongAdder[] counts;

    LabeledCounter(String name, String help, String label, String... values) {
        this.name = name;
        this.help = help;
        this.label = label;
        this.values = values.clone();
        this.counts = new LongAdder[values.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one for the label value at {@code index} (its position in the constructor's values). */
    void increment(int index) {
        counts[index].increment();
    }

    long value(int index) {
        return counts[index].sum();
    }

    @Override
    public void writeTo(StringBuilder out) {
        Exposition.header(out, name, help, "counter");
        for (int i = 0; i < values.length; i++) {
            out.append(name);
            Exposition.label(out, label, values[i]);
            out.append(' ').append(counts[i].sum()).append('\n');
        }
    }
}
