package dev.rendezvous.room;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Every room on this node alone, by name: the relay of a single server. A room exists while it
 * has members: the last leave removes it. Joins and leaves on one room are serialised by
 * {@link ConcurrentHashMap#compute}, so the capacity check and the add are one atomic step.
 * A little over the usual length: it is the whole {@link Relay} contract for one node.
 */
public class LocalRelay implements Relay {

    private static final Logger LOG = Logger.getLogger(LocalRelay.class.getName());

    private final Wording wording;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** Rooms opened and not yet closed; counted inside {@code compute} so the cap holds under races. */
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    public LocalRelay(Wording wording) {
        this.wording = wording;
    }

    @Override
    public JoinResult join(RoomName room, String name, Mailbox mailbox, int maxPeers, int maxRooms) {
        return add(room, new Member(new Peer(PeerId.fresh().value(), name), mailbox), maxPeers, maxRooms);
    }

    @Override
    public JoinResult rejoin(RoomName room, Peer peer, long serial, long received, Mailbox mailbox, int maxPeers, int maxRooms) {
        // Only a restart brings back a member this node does not hold: nothing it missed is kept anywhere.
        JoinResult result = add(room, new Member(peer, mailbox), maxPeers, maxRooms);
        return result instanceof JoinResult.Joined joined ? new JoinResult.Resumed(joined.self(), joined.others(), true) : result;
    }

    private JoinResult add(RoomName room, Member self, int maxPeers, int maxRooms) {
        AtomicReference<List<Member>> before = new AtomicReference<>();
        AtomicReference<JoinResult> refused = new AtomicReference<>();
        rooms.compute(room.value(), (key, current) -> {
            if (current == null) {
                if (open.incrementAndGet() > maxRooms) {
                    open.decrementAndGet();
                    refused.set(new JoinResult.TooManyRooms(maxRooms));
                    return null;
                }
                before.set(List.of());
                return new Room(List.of(self));
            }
            if (current.find(self.id()) != null) {
                refused.set(new JoinResult.Taken());
                return current;
            }
            if (current.size() >= maxPeers) {
                refused.set(new JoinResult.Full(maxPeers));
                return current;
            }
            before.set(current.members());
            return current.with(self);
        });
        if (refused.get() != null) {
            return refused.get();
        }
        List<Member> others = before.get();
        if (others.isEmpty()) {
            LOG.fine(() -> "Room opened: " + room);
        } else {
            String announcement = wording.joined(self.peer());
            for (Member other : others) {
                other.mailbox().send(announcement);
            }
        }
        return new JoinResult.Joined(self, others.stream().map(Member::peer).toList());
    }

    @Override
    public boolean leave(RoomName room, Member member) {
        AtomicReference<List<Member>> remaining = new AtomicReference<>();
        rooms.computeIfPresent(room.value(), (key, current) -> {
            if (current.find(member.id()) != member) {
                return current;
            }
            Room next = current.without(member);
            remaining.set(next == null ? List.of() : next.members());
            if (next == null) {
                open.decrementAndGet();
            }
            return next;
        });
        List<Member> others = remaining.get();
        if (others == null) {
            return false;
        }
        if (others.isEmpty()) {
            LOG.fine(() -> "Room closed: " + room);
        } else {
            String departure = wording.left(member.id());
            for (Member other : others) {
                other.mailbox().send(departure);
            }
        }
        return true;
    }

    @Override
    public void toOthers(RoomName room, Member from, String message) {
        Room current = rooms.get(room.value());
        if (current == null || !current.holds(from)) {
            return;
        }
        for (Member member : current.members()) {
            if (member != from) {
                member.mailbox().send(message);
            }
        }
    }

    @Override
    public boolean toMember(RoomName room, Member from, String to, String message) {
        Room current = rooms.get(room.value());
        Member target = current == null ? null : current.find(to);
        if (target == null || target == from || !current.holds(from)) {
            return false;
        }
        target.mailbox().send(message);
        return true;
    }

    @Override
    public boolean remove(RoomName room, String peerId, Removal why) {
        Room current = rooms.get(room.value());
        Member member = current == null ? null : current.find(peerId);
        if (member == null || !leave(room, member)) {
            return false;
        }
        member.mailbox().end(why);
        return true;
    }

    @Override
    public SortedMap<String, Integer> occupancy() {
        SortedMap<String, Integer> sizes = new TreeMap<>();
        rooms.forEach((name, room) -> sizes.put(name, room.size()));
        return sizes;
    }

    @Override
    public List<Peer> peers(RoomName room) {
        return members(room).stream().map(Member::peer).toList();
    }

    /** The members of {@code room} in join order; empty if the room does not exist. */
    List<Member> members(RoomName room) {
        Room current = rooms.get(room.value());
        return current == null ? List.of() : current.members();
    }

    @Override
    public int roomCount() {
        return rooms.size();
    }

    @Override
    public int[] membersPerRoom() {
        return rooms.values().stream().mapToInt(Room::size).toArray();
    }

    @Override
    public boolean ready() {
        return !closed;
    }

    @Override
    public String toString() {
        return "this node alone";
    }

    @Override
    public void close() {
        // Nothing outside this process to let go of: it only stops calling itself ready.
        closed = true;
    }
}
