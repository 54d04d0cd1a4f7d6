package dev.rendezvous.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExpositionTest {

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        StringBuilder out = new StringBuilder();
        Exposition.label(out, "code", "a\\b\"c\nd");
        assertEquals("{code=\"a\\\\b\\\"c\\nd\"}", out.toString());
    }

    @Test
    void helpTextEscapesBackslashAndNewlineButNotQuotes() {
        StringBuilder out = new StringBuilder();
        Exposition.header(out, "m", "say \"hi\"\\\nbye", "counter");
        assertEquals("# HELP m say \"hi\"\\\\\\nbye\n# TYPE m counter\n", out.toString());
    }

    @Test
    void boundsAreShortPlainDecimals() {
        assertEquals("0.0001", Exposition.decimal(0.0001));
        assertEquals("2.5", Exposition.decimal(2.5));
        assertEquals("10", Exposition.decimal(10));
        assertEquals("256", Exposition.decimal(256.0));
    }
}
