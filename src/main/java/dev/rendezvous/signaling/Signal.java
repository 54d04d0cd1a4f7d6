package dev.rendezvous.signaling;

/**
 * A message relayed between members: offer, answer or ICE candidate. {@code to} is the addressed
 * member, or {@code null} for everyone else in the room; {@code from} is only ever set by the server.
 */
public sealed interface Signal extends Inbound, Outbound permits Offer, Answer, Candidate {

    String to();

    /** This signal stamped with the sender the server knows, whatever the client claimed. */
    Signal from(String sender);
}
