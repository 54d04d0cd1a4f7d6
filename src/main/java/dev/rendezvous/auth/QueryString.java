package dev.rendezvous.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A handshake's query parameters, read the same way on every container: percent-escapes are UTF-8
 * (what a browser's {@code encodeURIComponent} and {@code URLSearchParams} write), {@code +} is a
 * space, a name without {@code =} has the value {@code ""}, and a repeated name keeps every value
 * in order. Bytes that are no UTF-8 become U+FFFD and a {@code %} that starts no escape stays as it
 * is: nothing a client writes makes the handshake fail here.
 *
 * <p>The container's own parse is not used: Payara decodes query escapes as ISO-8859-1 unless the
 * server is configured otherwise, so {@code ?name=Zo%C3%AB} reached the room as "ZoÃ«".
 */
public final class QueryString {

    private QueryString() {
    }

    /** The parameters of {@code query} (the part of the request line after {@code ?}; null for none). */
    public static Map<String, String[]> parameters(String query) {
        if (query == null || query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        Map<String, String[]> parameters = new LinkedHashMap<>();
        values.forEach((name, list) -> parameters.put(name, list.toArray(String[]::new)));
        return Collections.unmodifiableMap(parameters);
    }

    /** {@code text} with its escapes decoded as UTF-8 and {@code +} as a space. */
    static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        StringBuilder decoded = new StringBuilder(text.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            int high = c == '%' && i + 2 < text.length() ? hex(text.charAt(i + 1)) : -1;
            int low = high >= 0 ? hex(text.charAt(i + 2)) : -1;
            if (low >= 0) {
                bytes.write(high << 4 | low);
                i += 3;
                continue;
            }
            flush(bytes, decoded);
            decoded.append(c == '+' ? ' ' : c);
            i++;
        }
        flush(bytes, decoded);
        return decoded.toString();
    }

    /** The value of an ASCII hexadecimal digit, or -1 (no other script's digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder decoded) {
        if (bytes.size() > 0) {
            decoded.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }
}
