package dev.rendezvous.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** A figure over rounds: its median (the middle one, or the mean of the middle two), and every round's. */
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

    /** How the figures were taken, for a report's notes: "the median of 3 rounds", or "one round". */
    static String of(int rounds) {
        return rounds == 1 ? "from one round" : "the median of " + rounds + " rounds";
    }

    /** Every round's figure in order, {@code format}ted and joined as {@code "a / b / c"}. */
    static <T> String each(List<T> rounds, ToDoubleFunction<? super T> figure, String format) {
        return rounds.stream().map(round -> String.format(Locale.ROOT, format, figure.applyAsDouble(round)))
                .collect(Collectors.joining(" / "));
    }
}
