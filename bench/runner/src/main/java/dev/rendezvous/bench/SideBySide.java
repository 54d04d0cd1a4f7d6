package dev.rendezvous.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's figures side by side, as the scenarios measure them: each one for PeerJS, the product
 * and the container floor, the product's ratio to each, and the generator's own CPU while it drove
 * each (a fraction of its one core), so a reader can check the generator was not the limit. Each
 * scenario's rows are printed under its table, and all of them once more at the end of the run.
 */
final class SideBySide {

    private static final List<List<Object>> ROWS = new ArrayList<>();
    private static int shown;

    private SideBySide() {
    }

    /**
     * One figure: its values for PeerJS, the product and the floor ({@code NaN} where not measured),
     * formatted with {@code format}, and the generator's cores busy while measuring each ({@code NaN} likewise).
     */
    static synchronized void add(String figure, String format, double peerJs, double product, double floor, double[] generator) {
        ROWS.add(List.of(figure, cell(format, peerJs), cell(format, product), cell(format, floor), ratio(product, peerJs),
                ratio(product, floor), String.format(Locale.ROOT, "%s / %s / %s", cell("%.2f", generator[0]), cell("%.2f", generator[1]),
                        cell("%.2f", generator[2])), Load.now()));
    }

    /** The rows added since the last call, or null when there are none. */
    static synchronized Table fresh() {
        Table table = ROWS.size() > shown ? table(ROWS.subList(shown, ROWS.size())) : null;
        shown = ROWS.size();
        return table;
    }

    /** Every row of the run, or null when there are none. */
    static synchronized Table all() {
        return ROWS.isEmpty() ? null : table(ROWS);
    }

    private static Table table(List<List<Object>> rows) {
        Table table = new Table("figure", Target.PEERJS, Target.PRODUCT, Target.FLOOR, "product/PeerJS", "product/floor",
                "generator cores busy (PeerJS / product / floor)", "load avg");
        rows.forEach(row -> table.add(row.toArray()));
        return table;
    }

    private static String cell(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    private static String ratio(double product, double other) {
        return Double.isNaN(product) || Double.isNaN(other) || other == 0 ? "-" : String.format(Locale.ROOT, "%.2f×", product / other);
    }
}
