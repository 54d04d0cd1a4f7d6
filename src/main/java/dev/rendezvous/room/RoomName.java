package dev.rendezvous.room;

import java.util.Optional;

/**
 * A room's name: 1–64 characters of {@code [A-Za-z0-9_-]}, so it is safe in a URL path, a log line
 * and a data grid key as it is. The only way to get one is through the rule.
 */
public record RoomName(String value) {

    /** The rule, worded for a client that broke it. */
    public static final String RULE = "room names are 1-64 characters of A-Z a-z 0-9 _ -";
    private static final int MAX_LENGTH = 64;

    /** @throws IllegalArgumentException when {@code value} breaks the rule */
    public RoomName {
        if (!isValid(value)) {
            throw new IllegalArgumentException(RULE);
        }
    }

    /** The name {@code text} is, or empty when it breaks the rule (a client's text: never throws). */
    public static Optional<RoomName> parse(String text) {
        return isValid(text) ? Optional.of(new RoomName(text)) : Optional.empty();
    }

    public static boolean isValid(String text) {
        // A loop, not a regular expression: every join checks its room's name, twice.
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
