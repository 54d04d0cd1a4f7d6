package dev.rendezvous.it;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generates what a hostile member sends, each with the answer the protocol documents for it:
 * messages valid in odd ways (escaped keys, controls, U+2028, huge numbers, deep but allowed
 * nesting, fragments), malformed ones (unpaired surrogates, duplicate fields, trailing bytes, too
 * deep, truncated, bad escapes and numbers, binary frames), and ones that end the connection
 * (invalid UTF-8, too large in one frame or in fragments, bye).
 */
final class HostileFrames {

    /** What the server must answer. */
    enum Answer {
        /** Relayed to every other member, no reply. */
        RELAYED,
        /** Relayed to the addressed member only, no reply. */
        RELAYED_TO_ONE,
        BAD_MESSAGE,
        UNKNOWN_TYPE,
        UNKNOWN_PEER,
        /** The socket is closed with {@link Hostile#closeCode}. */
        CLOSED
    }

    /** One frame on the wire: FIN bit, opcode (0 continuation, 1 text, 2 binary), payload. */
    record Frame(boolean fin, int opcode, byte[] payload) {
    }

    /** What to send, the answer it must get, and for a relayed message its type. */
    record Hostile(String kind, List<Frame> frames, Answer answer, int closeCode, String relayedType) {

        @Override
        public String toString() {
            StringBuilder shown = new StringBuilder(kind).append(" -> ").append(answer);
            if (answer == Answer.CLOSED) {
                shown.append(' ').append(closeCode);
            }
            if (!frames.isEmpty() && frames.get(0).opcode() == 1) {
                String text = new String(frames.get(0).payload(), StandardCharsets.UTF_8);
                shown.append(": ").append(text, 0, Math.min(text.length(), 160));
            }
            return shown.toString();
        }
    }

    /** Characters that are text but odd: controls, separators JavaScript once choked on, BOM, emoji, non-characters. */
    private static final int[] ODD = {0, 1, 0x1f, 0x7f, 0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff, 0x1f600, 0x10ffff, '"', '\\', '/', 0xe9};
    private static final String[] UNPAIRED = {"\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\uDC00\\uD800", "\\ud83d\\u0041",
            "\\ud83d\\n", "\\uDBFF\\uDBFF"};
    /** Bytes that are not UTF-8: a stray continuation, a cut sequence, a surrogate encoded (CESU), an overlong slash, 0xFF. */
    private static final byte[][] NOT_UTF8 = {{(byte) 0x80}, {(byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xff}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
    private static final String[] ODD_NUMBERS = {"1e999999999", "-0", "0.0000000000000000000001", "123456789012345678901234567890",
            "-1E-400", "1.5e+308", "0"};
    private static final String[] BAD_NUMBERS = {"01", "1.", ".5", "+1", "NaN", "Infinity", "-", "1e", "0x10", "1_000"};

    private final Random random;
    private final int maxBytes;

    /** @param maxBytes the server's {@code signaling.message.max-bytes} */
    HostileFrames(Random random, int maxBytes) {
        this.random = random;
        this.maxBytes = maxBytes;
    }

    /** The next hostile message; {@code member} is an id of another member of the room. */
    Hostile next(String member) {
        int pick = random.nextInt(100);
        if (pick < 22) {
            return valid(member);
        }
        if (pick < 30) {
            Hostile valid = valid(member);
            return new Hostile("fragmented " + valid.kind(), fragments(valid.frames().get(0).payload()), valid.answer(), 0,
                    valid.relayedType());
        }
        if (pick < 58) {
            return text("unpaired surrogate", withString(UNPAIRED[random.nextInt(UNPAIRED.length)]), Answer.BAD_MESSAGE);
        }
        if (pick < 76) {
            return malformed();
        }
        if (pick < 80) {
            return new Hostile("binary", List.of(new Frame(true, 2, bytes(random.nextInt(64)))), Answer.BAD_MESSAGE, 0, null);
        }
        if (pick < 84) {
            return text("unknown type", "{\"type\":\"" + pickOf("welcome", "pong", "error", "peer-joined", "OFFER", "", "\\u0000")
                    + "\",\"sdp\":\"x\"}", Answer.UNKNOWN_TYPE);
        }
        if (pick < 88) {
            return text("to nobody", Json.createObjectBuilder().add("type", "offer").add("to", oddString(22) + "x").add("sdp", "v=0")
                    .build().toString(), Answer.UNKNOWN_PEER);
        }
        if (pick < 91) {
            byte[] head = "{\"type\":\"offer\",\"sdp\":\"caf".getBytes(StandardCharsets.UTF_8);
            byte[] bad = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
            byte[] broken = Arrays.copyOf(head, head.length + bad.length + 2);
            System.arraycopy(bad, 0, broken, head.length, bad.length);
            broken[broken.length - 2] = '"';
            broken[broken.length - 1] = '}';
            return new Hostile("invalid UTF-8", List.of(new Frame(true, 1, broken)), Answer.CLOSED, 1007, null);
        }
        if (pick < 94) {
            String sdp = "a".repeat(maxBytes + 1 + random.nextInt(maxBytes * 2));
            return new Hostile("too large", List.of(new Frame(true, 1, ("{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}")
                    .getBytes(StandardCharsets.UTF_8))), Answer.CLOSED, 1009, null);
        }
        if (pick < 97) {
            byte[] large = ("{\"type\":\"offer\",\"sdp\":\"" + "b".repeat(maxBytes * 3) + "\"}").getBytes(StandardCharsets.UTF_8);
            return new Hostile("too large in fragments", fragments(large), Answer.CLOSED, 1009, null);
        }
        if (pick < 98) {
            return text("bye", "{\"extra\":[1,{\"a\":null}],\"type\":\"bye\"}", Answer.CLOSED, 1000);
        }
        return text("targeted", "{\"sdp\":\"v=0\\r\\n\",\"type\":\"offer\",\"to\":\"" + member + "\"}", Answer.RELAYED_TO_ONE,
                "offer");
    }

    private Hostile valid(String member) {
        boolean candidate = random.nextBoolean();
        JsonObjectBuilder message = Json.createObjectBuilder();
        String type = candidate ? "candidate" : pickOf("offer", "answer");
        List<Runnable> fields = new ArrayList<>();
        fields.add(() -> message.add("type", type));
        if (candidate) {
            if (random.nextInt(8) == 0) {
                fields.add(() -> message.add("candidate", JsonValue.NULL));
            } else {
                JsonObjectBuilder init = Json.createObjectBuilder().add("candidate", "candidate:" + oddString(30));
                if (random.nextBoolean()) {
                    init.add("sdpMid", oddString(4));
                }
                if (random.nextBoolean()) {
                    init.add("sdpMLineIndex", random.nextInt(65536));
                }
                if (random.nextBoolean()) {
                    init.add("usernameFragment", oddString(8));
                }
                if (random.nextBoolean()) {
                    init.add("extra", nested(random.nextInt(20)));
                }
                fields.add(() -> message.add("candidate", init));
            }
        } else {
            fields.add(() -> message.add("sdp", "v=0\r\n" + oddString(60)));
        }
        if (random.nextBoolean()) {
            fields.add(() -> message.add("from", oddString(10)));
        }
        if (random.nextBoolean()) {
            fields.add(() -> message.add(oddString(6) + "k", nested(random.nextInt(30))));
        }
        java.util.Collections.shuffle(fields, random);
        fields.forEach(Runnable::run);
        String text = message.build().toString();
        if (random.nextBoolean()) {
            text = text.replace("\"type\"", "\"\\u0074ype\"");
        }
        if (random.nextInt(4) == 0) {
            // Spelt as the server never writes it (the writer above never escapes a slash): the same text, escaped otherwise.
            text = text.replace("/", "\\/");
        }
        if (random.nextBoolean()) {
            String number = ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)];
            text = "{\"n\":" + number + "," + text.substring(1);
        }
        if (random.nextBoolean()) {
            text = " {\n\t" + text.substring(1, text.length() - 1) + " \r\n} ";
        }
        return text(candidate ? "valid candidate" : "valid " + type, text, Answer.RELAYED, type);
    }

    /** A valid message with {@code inside} put into one of its strings, known field or not, key or value. */
    private String withString(String inside) {
        return switch (random.nextInt(7)) {
            case 0 -> "{\"type\":\"offer\",\"sdp\":\"v=0" + inside + "\"}";
            case 1 -> "{\"type\":\"answer\",\"to\":\"" + inside + "\",\"sdp\":\"x\"}";
            case 2 -> "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c" + inside + "\",\"sdpMid\":\"0\"}}";
            case 3 -> "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":\"" + inside + "\"}}";
            case 4 -> "{\"type\":\"offer\",\"sdp\":\"x\",\"" + inside + "\":1}";
            case 5 -> "{\"type\":\"offer\",\"sdp\":\"x\",\"extra\":[[{\"a\":\"" + inside + "\"}]]}";
            default -> "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"usernameFragment\":\"" + inside + "\"}}";
        };
    }

    private Hostile malformed() {
        String valid = "{\"type\":\"offer\",\"sdp\":\"v=0\",\"n\":[1,{\"a\":true}]}";
        return switch (random.nextInt(10)) {
            case 0 -> text("duplicate field", pickOf("{\"type\":\"offer\",\"sdp\":\"a\",\"sdp\":\"b\"}",
                    "{\"type\":\"offer\",\"\\u0074ype\":\"answer\",\"sdp\":\"a\"}",
                    "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"a\",\"candidate\":\"b\"}}"), Answer.BAD_MESSAGE);
            case 1 -> text("trailing bytes", valid + pickOf("x", "{}", "\u0000", "]", " 1", "\"\""), Answer.BAD_MESSAGE);
            case 2 -> text("too deep", "{\"type\":\"offer\",\"sdp\":\"x\",\"n\":" + "[".repeat(40 + random.nextInt(2000))
                    + "]".repeat(random.nextInt(3)) + "}", Answer.BAD_MESSAGE);
            case 3 -> text("truncated", valid.substring(0, 1 + random.nextInt(valid.length() - 2)), Answer.BAD_MESSAGE);
            case 4 -> text("raw control in a string", "{\"type\":\"offer\",\"sdp\":\"a" + (char) random.nextInt(0x20) + "\"}",
                    Answer.BAD_MESSAGE);
            case 5 -> text("bad escape", "{\"type\":\"offer\",\"sdp\":\"a" + pickOf("\\x", "\\u12", "\\u12g4", "\\'", "\\",
                    "\\u\u0660\u0660\u0034\u0031", "\\u\uff10\uff10\uff14\uff41") + "\"}",
                    Answer.BAD_MESSAGE);
            case 6 -> text("bad number", "{\"type\":\"offer\",\"sdp\":\"x\",\"n\":" + BAD_NUMBERS[random.nextInt(BAD_NUMBERS.length)] + "}",
                    Answer.BAD_MESSAGE);
            case 7 -> text("not an object", pickOf("[]", "\"offer\"", "null", "42", "", " ", "{'type':'offer'}", "\uFEFF{}"),
                    Answer.BAD_MESSAGE);
            case 8 -> text("ill-typed field", pickOf("{\"type\":\"offer\",\"sdp\":5}", "{\"type\":[\"offer\"]}",
                    "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":1e999999}}",
                    "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":1e9999999999}}",
                    "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":65536}}",
                    "{\"type\":\"candidate\",\"candidate\":\"c\"}"), Answer.BAD_MESSAGE);
            default -> text("random text", oddString(1 + random.nextInt(80)), Answer.BAD_MESSAGE);
        };
    }

    /** Splits a text message into two to five frames, anywhere, even inside a character. */
    private List<Frame> fragments(byte[] payload) {
        int parts = 2 + random.nextInt(4);
        int[] cuts = random.ints(parts - 1, 0, payload.length + 1).sorted().toArray();
        List<Frame> frames = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : payload.length;
            frames.add(new Frame(i == cuts.length, i == 0 ? 1 : 0, Arrays.copyOfRange(payload, from, to)));
            from = to;
        }
        return frames;
    }

    private JsonValue nested(int depth) {
        if (depth == 0) {
            return random.nextBoolean() ? Json.createValue(oddString(5)) : Json.createValue(random.nextLong());
        }
        if (random.nextBoolean()) {
            JsonArrayBuilder array = Json.createArrayBuilder().add(nested(depth - 1));
            return random.nextBoolean() ? array.add(JsonValue.TRUE).build() : array.build();
        }
        return Json.createObjectBuilder().add(oddString(3), nested(depth - 1)).build();
    }

    /** Well-formed text with odd characters in it. */
    private String oddString(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int c = random.nextInt(4) == 0 ? ODD[random.nextInt(ODD.length)] : 0x20 + random.nextInt(0x5f);
            out.appendCodePoint(c);
        }
        return out.toString();
    }

    private Hostile text(String kind, String text, Answer answer) {
        return new Hostile(kind, List.of(new Frame(true, 1, text.getBytes(StandardCharsets.UTF_8))), answer, 0, null);
    }

    private Hostile text(String kind, String text, Answer answer, String relayedType) {
        return new Hostile(kind, List.of(new Frame(true, 1, text.getBytes(StandardCharsets.UTF_8))), answer, 0, relayedType);
    }

    private Hostile text(String kind, String text, Answer answer, int closeCode) {
        return new Hostile(kind, List.of(new Frame(true, 1, text.getBytes(StandardCharsets.UTF_8))), answer, closeCode, null);
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @SafeVarargs
    private <T> T pickOf(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
