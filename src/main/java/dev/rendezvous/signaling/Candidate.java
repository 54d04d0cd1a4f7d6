package dev.rendezvous.signaling;

import jakarta.json.JsonValue;

/**
 * {@code {"type":"candidate","to":"…","candidate":{…}}}. {@code candidate} is the sanitised
 * {@code RTCIceCandidateInit} (only its known fields, the candidate line itself opaque), or
 * {@link JsonValue#NULL} for the end-of-candidates marker, which is relayed as {@code null}.
 */
public record Candidate(String from, String to, JsonValue candidate) implements Signal {

    @Override
    public Candidate from(String sender) {
        return new Candidate(sender, to, candidate);
    }
}
