package dev.rendezvous.ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram with fixed buckets. Values are recorded as whole units ({@code scale} of them to one
 * exposed unit: nanoseconds for seconds with a scale of 1e9), so {@link #record} is a few compares
 * and two adds: no allocation, no lock.
 */
public final class Histogram implements Metric {

    private final String name;
    private final String help;
    private final double scale;
    private final String[] bounds;
    /** Upper bounds in recorded units, ascending; a value goes to the first bucket whose bound it does not exceed. */
    private final long[] limits;
    /** One per bound, and a last one for values above every bound (+Inf); not cumulative. */
    private final LongAdder[] buckets;
    private final LongAdder sum = new LongAdder();

    /**
     * @param scale  recorded units per exposed unit
     * @param bounds the buckets' upper bounds in exposed units, ascending
     */
    public Histogram(String name, String help, double scale, double... bounds) {
        this.name = name;
        this.help = help;
        this.scale = scale;
        this.bounds = new String[bounds.length];
        this.limits = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            if (i > 0 && bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("bounds must ascend: " + bounds[i - 1] + ", " + bounds[i]);
            }
            this.bounds[i] = Exposition.decimal(bounds[i]);
            this.limits[i] = Math.round(bounds[i] * scale);
        }
        this.buckets = new LongAdder[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Records one value, in units. */
    public void record(long value) {
        int bucket = 0;
        while (bucket < limits.length && value > limits[bucket]) {
            bucket++;
        }
        buckets[bucket].increment();
        sum.add(value);
    }

    /** Values recorded so far. */
    public long count() {
        long count = 0;
        for (LongAdder bucket : buckets) {
            count += bucket.sum();
        }
        return count;
    }

    @Override
    public void writeTo(StringBuilder out) {
        Exposition.header(out, name, help, "histogram");
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            out.append(name).append("_bucket");
            Exposition.label(out, "le", i < bounds.length ? bounds[i] : "+Inf");
            out.append(' ').append(cumulative).append('\n');
        }
        long total = sum.sum();
        out.append(name).append("_sum ");
        if (scale == 1) {
            out.append(total);
        } else {
            out.append(total / scale);
        }
        out.append('\n').append(name).append("_count ").append(cumulative).append('\n');
    }
}
