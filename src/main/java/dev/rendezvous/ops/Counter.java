package dev.rendezvous.ops;

import java.util.concurrent.atomic.LongAdder;

/** A counter without labels; {@link #increment} neither allocates nor locks. */
final class Counter implements Metric {

    private final String name;
    private final String help;
    private final LongAdder count = new LongAdder();

    Counter(String name, String help) {
        this.name = name;
        this.help = help;
    }

    void increment() {
        count.increment();
    }

    long value() {
        return count.sum();
    }

    @Override
    public void writeTo(StringBuilder out) {
        Exposition.header(out, name, help, "counter");
        out.append(name).append(' ').append(count.sum()).append('\n');
    }
}
