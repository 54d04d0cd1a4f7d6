package dev.rendezvous.signaling;

import dev.rendezvous.room.Member;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Resumptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Ends memberships for good: the resume token goes, and the relay tells the others, exactly once. */
@ApplicationScoped
public class Presence {

    /** The presence announcements, as the relay sends them. */
    static final Relay.Wording WORDING = new Relay.Wording() {
        @Override
        public String joined(Peer newcomer) {
            return OutboundEncoder.INSTANCE.encode(new Outbound.PeerJoined(newcomer.peer(), newcomer.name()));
        }

        @Override
        public String left(String peerId) {
            return OutboundEncoder.INSTANCE.encode(new Outbound.PeerLeft(peerId));
        }
    };

    @Inject
    Relay relay;

    @Inject
    Resumptions resumptions;

    /** Removes the member for good (no resume) and tells the others, unless it had already left. */
    void left(String room, Member member) {
        resumptions.forget(member);
        relay.leave(room, member);
    }
}
