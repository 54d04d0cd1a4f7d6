package dev.rendezvous.signaling;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Strings an encoder must write as JSON: anything, plain ASCII, and the characters JSON escapes (with some it does not). */
final class JsonStrings {

    private JsonStrings() {
    }

    static Arbitrary<String> any() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(40),
                Arbitraries.strings().withChars("\"\\\n\r\t\b\f\u0000\u001f\u2028/é😀").ofMaxLength(10));
    }

    /** {@link #any}, or null three times in ten. */
    static Arbitrary<String> optional() {
        return any().injectNull(0.3);
    }
}
