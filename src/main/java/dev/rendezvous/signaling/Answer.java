package dev.rendezvous.signaling;

/** {@code {"type":"answer","to":"…","sdp":"…"}}; the SDP is opaque to the server. */
public record Answer(String from, String to, String sdp) implements Signal {

    @Override
    public Answer from(String sender) {
        return new Answer(sender, to, sdp);
    }
}
