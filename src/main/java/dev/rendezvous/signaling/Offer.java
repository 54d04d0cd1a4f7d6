package dev.rendezvous.signaling;

/** {@code {"type":"offer","to":"…","sdp":"…"}}; the SDP is opaque to the server. */
public record Offer(String from, String to, Sdp sdp) implements Signal {

    public Offer(String from, String to, String sdp) {
        this(from, to, Sdp.of(sdp));
    }

    @Override
    public Offer from(String sender) {
        return new Offer(sender, to, sdp);
    }
}
