package dev.rendezvous.signaling;

/** {@code {"type":"offer","to":"…","sdp":"…"}}; the SDP is opaque to the server. */
public record Offer(String from, String to, String sdp) implements Signal {

    @Override
    public Offer from(String sender) {
        return new Offer(sender, to, sdp);
    }
}
