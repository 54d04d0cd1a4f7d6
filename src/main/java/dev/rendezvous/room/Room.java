package dev.rendezvous.room;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An immutable snapshot of one room's members in join order. The registry swaps whole snapshots,
 * so a fan-out iterates a list no join or leave can change under it.
 */
final class Room {

    private final List<Member> members;

    Room(List<Member> members) {
        this.members = Collections.unmodifiableList(members);
    }

    List<Member> members() {
        return members;
    }

    int size() {
        return members.size();
    }

    /** Whether {@code member} itself (not merely its id) is one of the members. */
    boolean holds(Member member) {
        for (Member each : members) {
            if (each == member) {
                return true;
            }
        }
        return false;
    }

    Member find(String peerId) {
        for (Member member : members) {
            if (member.id().equals(peerId)) {
                return member;
            }
        }
        return null;
    }

    Room with(Member member) {
        List<Member> next = new ArrayList<>(members.size() + 1);
        next.addAll(members);
        next.add(member);
        return new Room(next);
    }

    /** The room without that member, or {@code null} when nobody would be left. */
    Room without(Member member) {
        if (members.size() == 1) {
            return null;
        }
        List<Member> next = new ArrayList<>(members.size() - 1);
        for (Member m : members) {
            if (m != member) {
                next.add(m);
            }
        }
        return new Room(next);
    }
}
