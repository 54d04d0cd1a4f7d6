package dev.rendezvous.signaling;

/** {@code {"type":"answer","to":"…","sdp":"…"}}; the SDP is opaque to the server. */
public record Answer(String from, String to, Sdp sdp) implements Signal {

    public Answer(String from, String to, String sdp) {
        this(from, to, Sdp.of(sdp));
    }

    @Override
    public Answer from(String sender) {
        return new Answer(sender, to, sdp);
    }
}
