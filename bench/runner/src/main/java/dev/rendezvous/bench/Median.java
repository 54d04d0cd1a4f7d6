package dev.rendezvous.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** The median of a figure over rounds: the middle one, or the mean of the middle two. */
final class Median {

    private Median() {
    }

    static <T> double of(List<T> rounds, ToDoubleFunction<? super T> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
