package dev.rendezvous.room;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The members that may resume, and the credentials they resume with. Every welcome carries a
 * fresh {@link ResumeCredentials credential}, which retires the member's earlier ones; when the member's
 * connection drops it is parked until a deadline, and the first of a resume and the deadline to
 * claim it wins. A credential this server did not see issued (it restarted since, or another node
 * of a cluster issued it) brings back a member it does not hold, unless that member is known to
 * have left here; a node that holds the member {@link #release releases} it to the node it resumed on.
 *
 * <p>A little over the usual length: parking, claiming, releasing and forgetting are atomic steps on
 * one map, kept together so that each can be read against the others.
 */
@ApplicationScoped
public class Resumptions {

    /** How long a credential is good for: a member may come back within this of its latest welcome. */
    public static final Duration CREDENTIAL_LIFETIME = Duration.ofHours(24);
    private static final Logger LOG = Logger.getLogger(Resumptions.class.getName());

    /** What a credential brings back: a member this server holds, or one it does not know (it restarted). */
    public sealed interface Claimed permits Place, Returning {
    }

    /** A member that may be resumed, in its room; {@code deadline} is {@link Long#MAX_VALUE} while connected. */
    public record Place(RoomName room, Member member, long deadline, long serial) implements Claimed {
    }

    /**
     * A member this server does not hold, whose credential (of this serial) is good: it may take its
     * id back, if nobody else holds it, or take it over from the node of a cluster that does.
     */
    public record Returning(RoomName room, Peer peer, long serial) implements Claimed {
    }

    @Inject
    @ConfigProperty(name = "signaling.resume.secret")
    Optional<String> secret = Optional.empty();

    private static final SecureRandom RANDOM = new SecureRandom();

    private ResumeCredentials credentials = new ResumeCredentials(randomSecret());
    private final ConcurrentHashMap<String, Place> byPeer = new ConcurrentHashMap<>();
    /**
     * The ids of members parked, so that {@link #expire} looks at those alone, not at every member
     * connected. It may name a member since claimed or forgotten: {@link #expire} drops such ids.
     */
    private final Set<String> parked = ConcurrentHashMap.newKeySet();
    /** Members that left for good, by id, until their last credential expires (epoch seconds). */
    private final ConcurrentHashMap<String, Long> ended = new ConcurrentHashMap<>();
    /**
     * The same, in the order they left, which is the order their entries expire in: {@link #expire}
     * takes them off the head, never walking the day's departures.
     */
    private final Queue<Departure> departures = new ConcurrentLinkedQueue<>();

    /** A member that left for good, and until when (epoch seconds) its credentials are refused. */
    private record Departure(String id, long until) {
    }

    @PostConstruct
    void useConfiguredSecret() {
        secret.filter(s -> !s.isBlank()).ifPresent(s -> credentials = new ResumeCredentials(s.getBytes(StandardCharsets.UTF_8)));
        LOG.info(() -> "Resume credentials: " + (secret.isPresent() ? "signed with signaling.resume.secret, good across restarts"
                : "signed with a secret of this process alone (set signaling.resume.secret to resume across restarts)"));
    }

    private static byte[] randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A fresh credential for {@code member}; the earlier ones stop working here. */
    public String issue(RoomName room, Member member) {
        long serial = RANDOM.nextLong();
        byPeer.put(member.id(), new Place(room, member, Long.MAX_VALUE, serial));
        long expiresAt = System.currentTimeMillis() / 1000 + CREDENTIAL_LIFETIME.toSeconds();
        return credentials.issue(new ResumeCredentials.Claim(room, member.id(), member.peer().name(), serial, expiresAt));
    }

    /**
     * Parks the member until {@code deadline} (System.nanoTime based), unless a connection has taken
     * it over since its last one was detached: a resume claims the place, reattaches, then issues a
     * new place, so a park that comes late finds either no place or a member with a live connection.
     */
    public void park(Member member, long deadline) {
        Place now = byPeer.computeIfPresent(member.id(), (id, place) ->
                place.member() == member && member.mailbox().live() == null
                        ? new Place(place.room(), member, deadline, place.serial()) : place);
        if (now != null && now.member() == member && now.deadline() == deadline) {
            parked.add(member.id());
        }
    }

    /**
     * Takes the credential if it is good for {@code room}: the place of the member it names, a
     * {@link Returning} member when this server holds no such member and none such left, or
     * {@code null} (not signed here, expired, another room, used, or the member left).
     */
    public Claimed claim(String credential, RoomName room) {
        ResumeCredentials.Claim claim = credentials.verify(credential, room, System.currentTimeMillis() / 1000).orElse(null);
        if (claim == null) {
            return null;
        }
        // One atomic step on the entry: a park() swapping in a deadline at the same moment must not
        // make a good credential look used.
        AtomicReference<Place> claimed = new AtomicReference<>();
        Place held = byPeer.computeIfPresent(claim.peerId(), (id, place) -> {
            if (place.serial() != claim.serial() || !place.room().equals(room)) {
                return place;
            }
            claimed.set(place);
            return null;
        });
        if (claimed.get() != null) {
            return claimed.get();
        }
        if (held != null || ended.containsKey(claim.peerId())) {
            return null;
        }
        return new Returning(room, new Peer(claim.peerId(), claim.name()), claim.serial());
    }

    /**
     * Gives {@code member} up to another node of the cluster, where it resumed with the credential of
     * this serial: that credential is used, and the member's place here is gone (it neither expires
     * here nor resumes here). False, changing nothing, when this server holds the member under
     * another credential (a newer one was issued), or not at all.
     */
    public boolean release(Member member, long serial) {
        AtomicReference<Place> released = new AtomicReference<>();
        byPeer.computeIfPresent(member.id(), (id, place) -> {
            if (place.member() != member || place.serial() != serial) {
                return place;
            }
            released.set(place);
            return null;
        });
        return released.get() != null;
    }

    /** Forgets the member: it left for good, and no credential of it brings it back. */
    public void forget(Member member) {
        if (byPeer.computeIfPresent(member.id(), (id, place) -> place.member() == member ? null : place) == null) {
            long until = System.currentTimeMillis() / 1000 + CREDENTIAL_LIFETIME.toSeconds();
            ended.put(member.id(), until);
            departures.add(new Departure(member.id(), until));
        }
    }

    /** Claims and returns every parked member whose deadline has passed, whose window overflowed, or that was removed. */
    public List<Place> expire(long now) {
        List<Place> expired = new ArrayList<>();
        for (Iterator<String> ids = parked.iterator(); ids.hasNext(); ) {
            String id = ids.next();
            Place place = byPeer.get(id);
            if (place == null || place.deadline() == Long.MAX_VALUE) {
                // Claimed, released or forgotten since it was parked (a resume's new place is not parked).
                unpark(ids, id);
                continue;
            }
            Mailbox mailbox = place.member().mailbox();
            boolean due = now - place.deadline() >= 0 || mailbox.overflowed() || mailbox.ended();
            if (due && byPeer.remove(id, place)) {
                unpark(ids, id);
                expired.add(place);
            }
        }
        long seconds = System.currentTimeMillis() / 1000;
        for (Departure first = departures.peek(); first != null && first.until() <= seconds; first = departures.peek()) {
            departures.poll();
            ended.remove(first.id(), first.until());
        }
        return expired;
    }

    /**
     * Takes {@code id} off the parked ones, unless a place under it was parked meanwhile: {@link #park}
     * sets the deadline before it adds the id, so whichever of the two runs last leaves it there.
     */
    private void unpark(Iterator<String> ids, String id) {
        ids.remove();
        Place again = byPeer.get(id);
        if (again != null && again.deadline() != Long.MAX_VALUE) {
            parked.add(id);
        }
    }

    /** How many members may resume here (connected and parked); zero when nobody is in any room. */
    public int size() {
        return byPeer.size();
    }
}
