package dev.rendezvous.signaling;

import jakarta.json.bind.adapter.JsonbAdapter;
import jakarta.json.bind.annotation.JsonbTypeAdapter;

/**
 * The {@code sdp} of an offer or answer, which the server relays and never reads. A browser's SDP
 * is kilobytes of lines, each line end escaped ({@code \r\n}); unescaping it only to escape it
 * again cost more than anything else the server did with a relayed offer. So when the client's
 * JSON string is exactly what {@link SignalEncoder} would write for the same text (its only escapes
 * {@code \" \\ \n \r \t \b \f}, and a lower-case six-character one for any other control
 * character, as {@code JSON.stringify} writes them), the string is kept as it came, quotes and all,
 * and written on as it is. Its text is unescaped only when asked for, and two are equal when their
 * texts are.
 */
@JsonbTypeAdapter(Sdp.AsText.class)
public final class Sdp {

    /** JSON-B's view of an SDP: its text, a JSON string, as on the wire. */
    public static final class AsText implements JsonbAdapter<Sdp, String> {

        @Override
        public String adaptToJson(Sdp sdp) {
            return sdp.text();
        }

        @Override
        public Sdp adaptFromJson(String text) {
            return of(text);
        }
    }

    /** The JSON string, quotes included, as the server writes it; {@code null} when made from text. */
    private final String json;
    /** The text; when made from a JSON string, {@code null} until first asked for (threads that race compute equal strings). */
    private String text;

    private Sdp(String json, String text) {
        this.json = json;
        this.text = text;
    }

    /** An SDP whose text is {@code text}. */
    static Sdp of(String text) {
        return new Sdp(null, text);
    }

    /**
     * An SDP written as {@code json}, a JSON string (quotes included) already checked to be what
     * {@link SignalEncoder} writes for its text. {@link MessageScanner} is the one that checks.
     */
    static Sdp written(String json) {
        return new Sdp(json, null);
    }

    /** The SDP itself. */
    public String text() {
        String known = text;
        if (known == null) {
            known = MessageScanner.unquote(json);
            text = known;
        }
        return known;
    }

    /** The JSON string the client sent, when it is what the server writes for the text; otherwise {@code null}. */
    String json() {
        return json;
    }

    boolean isEmpty() {
        return json != null ? json.length() == 2 : text.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sdp sdp && text().equals(sdp.text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
