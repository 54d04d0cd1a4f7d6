package dev.rendezvous.signaling;

import dev.rendezvous.room.Text;

/**
 * One pass over a client's text as JSON (RFC 8259), keeping only the protocol's fields and
 * checking everything else: the grammar, nesting depth, and that every string (keys and unknown
 * fields included) is well-formed UTF-16, so that nothing the server later writes can hold an
 * unpaired surrogate. The {@link InboundDecoder} gives the fields their meaning.
 *
 * <p>A protocol field seen twice is malformed rather than "last one wins": two parsers that
 * resolve duplicates differently must never disagree about what a message says.
 *
 * <p>Longer than most classes: it is the whole grammar in one pass, and splitting it would make
 * two places that must agree about the same bytes.
 */
final class MessageScanner {

    /** Deepest nesting of objects and arrays accepted; the protocol needs two. */
    static final int MAX_DEPTH = 32;

    /** A value that is present but neither a string, {@code null}, nor (for {@code candidate}) an object. */
    static final Object OTHER = new Object();
    /** JSON {@code null}. */
    static final Object NULL = new Object();

    /** Why the text is not a message; thrown without a stack trace, as bad input is routine. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The protocol fields of a message: each a String, {@link #NULL}, {@link #OTHER}, or absent ({@code null}). */
    static final class Fields {
        Object type;
        Object to;
        /** An {@link Sdp} when a string. */
        Object sdp;
        /** Also {@link CandidateFields} when it is an object. */
        Object candidate;
    }

    /** The fields of a candidate object; {@code sdpMLineIndex} keeps a number's text. */
    static final class CandidateFields {
        Object candidate;
        Object sdpMid;
        Object sdpMLineIndex;
        Object usernameFragment;
    }

    /** A number's text, kept for {@code sdpMLineIndex}. */
    record NumberText(String text) {
    }

    private static final String NOT_JSON = "message is not valid JSON";
    /** What follows the backslash of each escape {@link SignalEncoder} writes with two characters. */
    private static final String WRITTEN_ESCAPES = "\"\\nrtbf";
    private static final String LOWER_HEX = "0123456789abcdef";

    private final String text;
    private int at;
    /** The next quote and backslash at or after some earlier position; see {@link #quoteFrom}. */
    private int quote = -1;
    private int backslash = -1;
    /** Where {@link #escaped} unescapes; see {@link #unescapeBuffer}. */
    private char[] unescaped;

    private MessageScanner(String text) {
        this.text = text;
    }

    /** The protocol fields of {@code text}, a single JSON object. */
    static Fields scan(String text) throws Malformed {
        return new MessageScanner(text).message();
    }

    /** The text of {@code json}, a JSON string (quotes included) this class has already checked. */
    static String unquote(String json) {
        try {
            return new MessageScanner(json).string();
        } catch (Malformed checkedBefore) {
            throw new IllegalArgumentException("not a JSON string that was checked", checkedBefore);
        }
    }

    private Fields message() throws Malformed {
        skipSpace();
        if (at >= text.length() || text.charAt(at) != '{') {
            throw new Malformed("message must be a JSON object");
        }
        at++;
        Fields fields = new Fields();
        if (!skip('}')) {
            do {
                String key = string();
                expect(':');
                switch (key) {
                    case "type" -> fields.type = once(fields.type, key, flat(1));
                    case "to" -> fields.to = once(fields.to, key, flat(1));
                    case "sdp" -> fields.sdp = once(fields.sdp, key, peek() == '"' ? sdp() : flat(1));
                    case "candidate" -> fields.candidate = once(fields.candidate, key, peek() == '{' ? candidate() : flat(1));
                    default -> value(1);
                }
            } while (skip(','));
            expect('}');
        }
        skipSpace();
        if (at != text.length()) {
            throw new Malformed("message must be a single JSON object");
        }
        return fields;
    }

    private CandidateFields candidate() throws Malformed {
        at++;
        CandidateFields fields = new CandidateFields();
        if (!skip('}')) {
            do {
                String key = string();
                expect(':');
                switch (key) {
                    case "candidate" -> fields.candidate = once(fields.candidate, key, flat(2));
                    case "sdpMid" -> fields.sdpMid = once(fields.sdpMid, key, flat(2));
                    case "sdpMLineIndex" -> fields.sdpMLineIndex = once(fields.sdpMLineIndex, key, flat(2));
                    case "usernameFragment" -> fields.usernameFragment = once(fields.usernameFragment, key, flat(2));
                    default -> value(2);
                }
            } while (skip(','));
            expect('}');
        }
        return fields;
    }

    private static Object once(Object before, String key, Object value) throws Malformed {
        if (before != null) {
            throw new Malformed("field " + key + " appears more than once");
        }
        return value;
    }

    /** Reads a value at {@code depth}, keeping strings, null and numbers, checking (and dropping) the rest. */
    private Object flat(int depth) throws Malformed {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == 'n') {
            literal("null");
            return NULL;
        }
        if (c == '-' || c >= '0' && c <= '9') {
            int start = at;
            number();
            return new NumberText(text.substring(start, at));
        }
        value(depth);
        return OTHER;
    }

    /** Checks and skips any value at {@code depth} (the message object being depth 1). */
    private void value(int depth) throws Malformed {
        char c = peek();
        switch (c) {
            case '"' -> string();
            case '{', '[' -> container(c, depth + 1);
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void container(char open, int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw new Malformed("message nests deeper than " + MAX_DEPTH + " levels");
        }
        at++;
        char close = open == '{' ? '}' : ']';
        if (skip(close)) {
            return;
        }
        do {
            if (open == '{') {
                string();
                expect(':');
            }
            value(depth);
        } while (skip(','));
        expect(close);
    }

    private void literal(String word) throws Malformed {
        if (!text.startsWith(word, at)) {
            throw new Malformed(NOT_JSON);
        }
        at += word.length();
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
    private void number() throws Malformed {
        if (at < text.length() && text.charAt(at) == '-') {
            at++;
        }
        if (at < text.length() && text.charAt(at) == '0') {
            at++;
        } else if (digits() == 0) {
            throw new Malformed(NOT_JSON);
        }
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            if (digits() == 0) {
                throw new Malformed(NOT_JSON);
            }
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            if (digits() == 0) {
                throw new Malformed(NOT_JSON);
            }
        }
    }

    private int digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at - start;
    }

    /**
     * The {@code sdp} string, {@link #at} being on its opening quote. Kept as it is written when
     * that is what the server would write for its text: each stretch between escapes free of
     * control characters and surrogates (found and checked as in {@link #string}), and only the
     * escapes the server writes. Anything else is unescaped by {@link #string}, from the start, so
     * that every error is the one it always was.
     */
    private Sdp sdp() throws Malformed {
        int open = at;
        int from = open + 1;
        while (true) {
            int end = Math.min(quoteFrom(from), backslashFrom(from));
            if (end >= text.length() || !plain(from, end)) {
                break;
            }
            if (text.charAt(end) == '"') {
                at = end + 1;
                return Sdp.written(text.substring(open, at));
            }
            int escape = writtenEscape(end);
            if (escape == 0) {
                break;
            }
            from = end + escape;
        }
        // The remembered positions may lie past escaped quotes and backslashes that string() must see.
        quote = -1;
        backslash = -1;
        at = open;
        return Sdp.of(string());
    }

    /**
     * The length of the escape at {@code backslash} if it is one {@link SignalEncoder} writes: two
     * characters, or six for a control character without a short one (a {@code u}, then {@code 00}
     * and two lower-case hex digits); otherwise 0.
     */
    private int writtenEscape(int backslash) {
        if (backslash + 1 >= text.length()) {
            return 0;
        }
        char e = text.charAt(backslash + 1);
        if (WRITTEN_ESCAPES.indexOf(e) >= 0) {
            return 2;
        }
        if (e != 'u' || !text.startsWith("00", backslash + 2) || backslash + 5 >= text.length()) {
            return 0;
        }
        int high = LOWER_HEX.indexOf(text.charAt(backslash + 4));
        int low = LOWER_HEX.indexOf(text.charAt(backslash + 5));
        int control = high * 16 + low;
        boolean written = high >= 0 && high <= 1 && low >= 0 && "\b\t\n\f\r".indexOf(control) < 0;
        return written ? 6 : 0;
    }

    /** A string after white space, unescaped and checked to be well-formed UTF-16. */
    private String string() throws Malformed {
        if (peek() != '"') {
            throw new Malformed(NOT_JSON);
        }
        int start = ++at;
        int end = Math.min(quoteFrom(start), backslashFrom(start));
        if (end < text.length() && plain(start, end)) {
            // The common case, an SDP's plain stretches too: found and checked without a branch per character.
            at = end;
            if (text.charAt(end) == '"') {
                at++;
                return text.substring(start, end);
            }
            return escaped(start, false);
        }
        // Something to look at closely (a surrogate, a control character, no closing quote): one character at a time.
        boolean surrogates = false;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"') {
                return wellFormed(text.substring(start, at++), surrogates);
            }
            if (c == '\\') {
                // A surrogate's other half may be escaped: whether each has its pair is known once unescaped.
                return escaped(start, surrogates);
            }
            if (c < 0x20) {
                throw new Malformed(NOT_JSON);
            }
            surrogates |= Character.isSurrogate(c);
            at++;
        }
        throw new Malformed(NOT_JSON);
    }

    private static String wellFormed(String value, boolean surrogates) throws Malformed {
        if (surrogates && !Text.isWellFormed(value)) {
            throw unpaired();
        }
        return value;
    }

    /**
     * The rest of a string from {@code start}, {@link #at} being on its first backslash: unescaped
     * into an array, each plain stretch between escapes copied whole. {@code surrogatesBefore}:
     * whether the text before the backslash holds a surrogate.
     */
    private String escaped(int start, boolean surrogatesBefore) throws Malformed {
        // The text before the first escape was checked already, but for pairing its surrogates.
        char[] out = unescapeBuffer(text.length() - start);
        text.getChars(start, at, out, 0);
        int length = at - start;
        boolean surrogates = surrogatesBefore;
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                // An escape such as \ud800 alone decodes to half a character.
                return wellFormed(new String(out, 0, length), surrogates);
            }
            // A backslash: an escape is at least two characters, and the string must close after it.
            if (at >= text.length()) {
                throw new Malformed(NOT_JSON);
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out[length++] = e;
                case 'b' -> out[length++] = '\b';
                case 'f' -> out[length++] = '\f';
                case 'n' -> out[length++] = '\n';
                case 'r' -> out[length++] = '\r';
                case 't' -> out[length++] = '\t';
                case 'u' -> {
                    char escapedChar = hex();
                    surrogates |= Character.isSurrogate(escapedChar);
                    out[length++] = escapedChar;
                }
                default -> throw new Malformed(NOT_JSON);
            }
            int end = Math.min(quoteFrom(at), backslashFrom(at));
            if (end >= text.length()) {
                throw new Malformed(NOT_JSON);
            }
            boolean control = false;
            for (int i = at; i < end; i++) {
                char plain = text.charAt(i);
                control |= plain < 0x20;
                surrogates |= plain >= Character.MIN_SURROGATE & plain <= Character.MAX_SURROGATE;
            }
            if (control) {
                throw new Malformed(NOT_JSON);
            }
            text.getChars(at, end, out, length);
            length += end - at;
            at = end;
        }
    }

    /**
     * An array of at least {@code length} for {@link #escaped}, shared by every escaped string of the
     * message: sized for the rest of the text at the first, it is long enough for every later one,
     * so a message of many short escaped strings costs one array, not one as long as the rest of the
     * text for each.
     */
    private char[] unescapeBuffer(int length) {
        if (unescaped == null || unescaped.length < length) {
            unescaped = new char[length];
        }
        return unescaped;
    }

    /** Whether {@code text} from {@code start} to {@code end} holds no control character and no surrogate. */
    private boolean plain(int start, int end) {
        boolean special = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            special |= c < 0x20 | c >= Character.MIN_SURROGATE & c <= Character.MAX_SURROGATE;
        }
        return !special;
    }

    /** Where the next quote is from {@code from} on, or the text's length; remembered, so that each is looked for once. */
    private int quoteFrom(int from) {
        quote = next('"', quote, from);
        return quote;
    }

    /** Where the next backslash is from {@code from} on, or the text's length; remembered as {@link #quoteFrom}. */
    private int backslashFrom(int from) {
        backslash = next('\\', backslash, from);
        return backslash;
    }

    /** Where {@code c} is next from {@code from} on, given where it was {@code known} next from an earlier position. */
    private int next(char c, int known, int from) {
        if (known >= from) {
            return known;
        }
        int found = text.indexOf(c, from);
        return found < 0 ? text.length() : found;
    }

    private char hex() throws Malformed {
        if (at + 4 > text.length()) {
            throw new Malformed(NOT_JSON);
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            char c = text.charAt(at++);
            // ASCII alone (RFC 8259's HEXDIG): Character.digit would also take Arabic-Indic and fullwidth digits.
            int digit = c < 0x80 ? Character.digit(c, 16) : -1;
            if (digit < 0) {
                throw new Malformed(NOT_JSON);
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }

    private static Malformed unpaired() {
        return new Malformed("message must be well-formed text: a string holds an unpaired surrogate");
    }

    private char peek() throws Malformed {
        skipSpace();
        if (at >= text.length()) {
            throw new Malformed(NOT_JSON);
        }
        return text.charAt(at);
    }

    private void expect(char c) throws Malformed {
        if (!skip(c)) {
            throw new Malformed(NOT_JSON);
        }
    }

    /** Skips white space, then {@code c} if it is next; whether it was. */
    private boolean skip(char c) {
        skipSpace();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }
}
