package dev.rendezvous.ops;

import java.math.BigDecimal;

/** The pieces of the Prometheus text exposition format (version 0.0.4) every metric writes. */
final class Exposition {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Exposition() {
    }

    static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ');
        escape(out, help, false);
        out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** A gauge read at scrape time. */
    static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "gauge");
        out.append(name).append(' ').append(value).append('\n');
    }

    /** {@code {label="value"}}, the value escaped as the format requires. */
    static void label(StringBuilder out, String label, String value) {
        out.append('{').append(label).append("=\"");
        escape(out, value, true);
        out.append("\"}");
    }

    /** Backslash and newline escaped, as HELP text needs; double quotes too, as label values need. */
    private static void escape(StringBuilder out, String text, boolean quotes) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '"' && quotes) {
                out.append("\\\"");
            } else {
                out.append(c);
            }
        }
    }

    /** The shortest plain decimal: {@code 0.001}, {@code 2.5}, {@code 8}, never {@code 1.0E-3}. */
    static String decimal(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
