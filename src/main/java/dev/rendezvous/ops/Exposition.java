package dev.rendezvous.ops;

import java.math.BigDecimal;

/** The pieces of the Prometheus text exposition format (version 0.0.4) every metric writes. */
final class Exposition {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Exposition() {
    }

    static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
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
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append("\"}");
    }

    /** The shortest plain decimal: {@code 0.001}, {@code 2.5}, {@code 8}, never {@code 1.0E-3}. */
    static String decimal(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
