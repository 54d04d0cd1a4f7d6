package dev.rendezvous.room;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Every room this node holds, by name. A room exists while it has members: the last leave
 * removes it. Joins and leaves on one room are serialised by {@link ConcurrentHashMap#compute},
 * so the capacity check and the add are one atomic step.
 */
@ApplicationScoped
public class RoomRegistry {

    private static final Logger LOG = Logger.getLogger(RoomRegistry.class.getName());
    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** 16 bytes = 128 bits, 22 URL-safe characters. */
    private static final int ID_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID_ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** Rooms opened and not yet closed; counted inside {@code compute} so the cap holds under races. */
    private final AtomicInteger open = new AtomicInteger();

    /** Room names are 1–64 characters of {@code [A-Za-z0-9_-]}. */
    public static boolean isValidRoomName(String name) {
        return name != null && ROOM_NAME.matcher(name).matches();
    }

    static String newPeerId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return ID_ENCODING.encodeToString(bytes);
    }

    /**
     * Adds a new member with a fresh server-assigned id to {@code room}, unless the room already
     * holds {@code maxPeers} members, or the room is new and {@code maxRooms} rooms are open.
     */
    public JoinResult join(String room, String name, Mailbox mailbox, int maxPeers, int maxRooms) {
        Member self = new Member(new Peer(newPeerId(), name), mailbox);
        AtomicReference<JoinResult> result = new AtomicReference<>();
        rooms.compute(room, (key, current) -> {
            if (current == null) {
                if (open.incrementAndGet() > maxRooms) {
                    open.decrementAndGet();
                    result.set(new JoinResult.TooManyRooms(maxRooms));
                    return null;
                }
                result.set(new JoinResult.Joined(self, List.of()));
                return new Room(List.of(self));
            }
            if (current.size() >= maxPeers) {
                result.set(new JoinResult.Full(maxPeers));
                return current;
            }
            result.set(new JoinResult.Joined(self, current.members()));
            return current.with(self);
        });
        if (result.get() instanceof JoinResult.Joined joined && joined.others().isEmpty()) {
            LOG.info(() -> "Room opened: " + room);
        }
        return result.get();
    }

    /**
     * Removes {@code member} from {@code room}. Idempotent: only the first call for a member
     * returns non-null, so whoever gets the list announces the departure exactly once.
     *
     * @return the members still in the room (possibly none), or {@code null} if the member had already left
     */
    public List<Member> leave(String room, Member member) {
        AtomicReference<List<Member>> remaining = new AtomicReference<>();
        rooms.computeIfPresent(room, (key, current) -> {
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
        if (remaining.get() != null && remaining.get().isEmpty()) {
            LOG.info(() -> "Room closed: " + room);
        }
        return remaining.get();
    }

    /** The member of {@code room} with that id, or {@code null}. */
    public Member find(String room, String peerId) {
        Room current = rooms.get(room);
        return current == null ? null : current.find(peerId);
    }

    /** The members of {@code room} in join order; empty if the room does not exist. */
    public List<Member> members(String room) {
        Room current = rooms.get(room);
        return current == null ? List.of() : current.members();
    }

    /** How many rooms currently have members. */
    public int roomCount() {
        return rooms.size();
    }

    /** How many members all rooms hold together (a walk over the rooms: for monitoring, not hot paths). */
    public int memberCount() {
        return rooms.values().stream().mapToInt(Room::size).sum();
    }
}
