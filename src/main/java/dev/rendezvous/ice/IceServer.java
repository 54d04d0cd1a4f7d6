package dev.rendezvous.ice;

import java.util.List;

/** An {@code RTCIceServer}: STUN or TURN URLs and, for TURN, the credentials. */
public record IceServer(List<String> urls, String username, String credential) {
}
