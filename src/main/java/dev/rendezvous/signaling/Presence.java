package dev.rendezvous.signaling;

import dev.rendezvous.room.Member;
import dev.rendezvous.room.Resumptions;
import dev.rendezvous.room.RoomRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** Tells a room's members who came and who went; each departure is announced exactly once. */
@ApplicationScoped
public class Presence {

    @Inject
    RoomRegistry registry;

    @Inject
    Resumptions resumptions;

    void joined(Member newcomer, List<Member> others) {
        String announcement = OutboundEncoder.INSTANCE.encode(new Outbound.PeerJoined(newcomer.id(), newcomer.peer().name()));
        for (Member other : others) {
            other.mailbox().send(announcement);
        }
    }

    /** Removes the member for good (no resume) and tells the others, unless it had already left. */
    void left(String room, Member member) {
        resumptions.forget(member);
        List<Member> remaining = registry.leave(room, member);
        if (remaining == null || remaining.isEmpty()) {
            return;
        }
        String departure = OutboundEncoder.INSTANCE.encode(new Outbound.PeerLeft(member.id()));
        for (Member other : remaining) {
            other.mailbox().send(departure);
        }
    }
}
