package dev.rendezvous.room;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Single-use resume tokens and the members waiting to be resumed. Every welcome carries a fresh
 * token for its member; when the member's connection drops it is parked until a deadline, and the
 * first of a resume and the deadline to claim the token wins (a {@code remove} on one map).
 */
@ApplicationScoped
public class Resumptions {

    /** A member that may be resumed, in its room; {@code deadline} is {@link Long#MAX_VALUE} while connected. */
    public record Place(RoomName room, Member member, long deadline) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final ConcurrentHashMap<String, Place> byToken = new ConcurrentHashMap<>();
    /** The current token of each member, so issuing a new one retires the old. */
    private final ConcurrentHashMap<Member, String> tokenOf = new ConcurrentHashMap<>();

    /** A fresh token for {@code member}; any earlier one stops working. */
    public String issue(RoomName room, Member member) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = ENCODING.encodeToString(bytes);
        byToken.put(token, new Place(room, member, Long.MAX_VALUE));
        String old = tokenOf.put(member, token);
        if (old != null) {
            byToken.remove(old);
        }
        return token;
    }

    /** Parks the member until {@code deadline} (System.nanoTime based). */
    public void park(Member member, long deadline) {
        String token = tokenOf.get(member);
        if (token != null) {
            byToken.computeIfPresent(token, (t, place) -> new Place(place.room(), member, deadline));
        }
    }

    /** Takes the token if it holds a place in {@code room}: that place, or {@code null} if unknown, used, expired or elsewhere. */
    public Place claim(String token, RoomName room) {
        if (token == null) {
            return null;
        }
        // One atomic step on the entry: a park() that swaps in a deadline at the same moment must
        // not make a valid token look used (remove(token, place) would compare the stale place).
        AtomicReference<Place> claimed = new AtomicReference<>();
        byToken.computeIfPresent(token, (t, place) -> {
            if (!place.room().equals(room)) {
                return place;
            }
            claimed.set(place);
            return null;
        });
        if (claimed.get() != null) {
            tokenOf.remove(claimed.get().member(), token);
        }
        return claimed.get();
    }

    /** Forgets the member (it left for good). */
    public void forget(Member member) {
        String token = tokenOf.remove(member);
        if (token != null) {
            byToken.remove(token);
        }
    }

    /** Claims and returns every parked member whose deadline has passed, whose window overflowed, or that was removed. */
    public List<Place> expire(long now) {
        List<Place> expired = new ArrayList<>();
        for (var entry : byToken.entrySet()) {
            Place place = entry.getValue();
            Mailbox mailbox = place.member().mailbox();
            boolean due = place.deadline() != Long.MAX_VALUE
                    && (now - place.deadline() >= 0 || mailbox.overflowed() || mailbox.ended());
            if (due && byToken.remove(entry.getKey(), place)) {
                tokenOf.remove(place.member(), entry.getKey());
                expired.add(place);
            }
        }
        return expired;
    }

    /** How many tokens are held (connected and parked members); zero when nobody is in any room. */
    public int size() {
        return byToken.size();
    }
}
