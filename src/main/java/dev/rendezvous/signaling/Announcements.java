package dev.rendezvous.signaling;

import dev.rendezvous.room.Peer;
import dev.rendezvous.room.Relay;
import jakarta.enterprise.context.ApplicationScoped;

/** The presence announcements ({@code peer-joined}, {@code peer-left}) as the relay sends them. */
@ApplicationScoped
public class Announcements implements Relay.Wording {

    @Override
    public String joined(Peer newcomer) {
        return OutboundEncoder.INSTANCE.encode(new Outbound.PeerJoined(newcomer.peer(), newcomer.name()));
    }

    @Override
    public String left(String peerId) {
        return OutboundEncoder.INSTANCE.encode(new Outbound.PeerLeft(peerId));
    }
}
