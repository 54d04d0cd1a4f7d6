package dev.rendezvous.cluster;

import dev.rendezvous.room.Removal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A message from one node to another about a room, and its wire form on the grid:
 * {@code String[] {kind, room, from, to, version, text}}, followed by the messages a hand-over carries.
 *
 * <p>Nodes of two versions share this form during a rolling upgrade, so it changes only by
 * addition: a kind is one letter, the version decimal, and a removal travels by its
 * {@link Removal}'s name; what a node does not know it logs and drops.
 *
 * <p>A little over the usual length: one factory per kind, and the codec both ways.
 */
record GridMessage(Kind kind, String room, String from, String to, long version, String text, List<String> carried) {

    private static final Logger LOG = Logger.getLogger(GridMessage.class.getName());
    private static final int FIELDS = 6;
    private static final String HANDED_OVER = "handed";
    private static final String REFUSED = "refused";

    enum Kind {
        /** {@code from} joined at roster {@code version}; the text announces it. */
        JOINED("j"),
        /** {@code from} left at roster {@code version}; the text announces it. */
        LEFT("l"),
        /** A signal from {@code from} to the member {@code to}, or to every member when {@code to} is null. */
        SIGNAL("s"),
        /** {@code to} is removed by an administrator; the text is the {@link Removal}'s name. */
        REMOVE("r"),
        /**
         * To the node holding {@code from}: the member resumed on the publisher with the credential of
         * serial {@code version}, its client having received {@code text} messages; hand it over.
         */
        HANDOVER("h"),
        /** The answer to {@link #HANDOVER}: refused, or handed over with what {@code from} missed, carried in order. */
        HANDED("g"),
        /**
         * {@code from} moved from node {@code to} to the publisher at roster {@code version}: reach it there
         * from now on. The text lists the nodes that may still route it to the old node, which waits for them.
         */
        MOVED("m"),
        /**
         * A node's route to {@code from} switched to the member's new node. On the old node's topic
         * ({@code to} null) it closes what the publisher sent there; on the new node's, {@code to} names
         * the publisher's old route ("" for none); forwarded by the old node to the new, {@code to}
         * names the node whose old route is now closed.
         */
        SWITCHED("w"),
        /** A message for {@code to} that reached the node it moved away from, passed on to its new node. */
        FORWARDED("f");

        private static final Kind[] ALL = values();
        private final String code;

        Kind(String code) {
            this.code = code;
        }

        private static Kind of(String code) {
            for (Kind kind : ALL) {
                if (kind.code.equals(code)) {
                    return kind;
                }
            }
            return null;
        }
    }

    GridMessage(Kind kind, String room, String from, String to, long version, String text) {
        this(kind, room, from, to, version, text, List.of());
    }

    static GridMessage joined(String room, String from, long version, String text) {
        return new GridMessage(Kind.JOINED, room, from, null, version, text);
    }

    static GridMessage left(String room, String from, long version, String text) {
        return new GridMessage(Kind.LEFT, room, from, null, version, text);
    }

    /** A signal to the member {@code to}, or to every member of the room when {@code to} is null. */
    static GridMessage signal(String room, String from, String to, String text) {
        return new GridMessage(Kind.SIGNAL, room, from, to, 0, text);
    }

    static GridMessage remove(String room, String to, Removal why) {
        return new GridMessage(Kind.REMOVE, room, null, to, 0, why.name());
    }

    static GridMessage handOver(String room, String member, long serial, long received) {
        return new GridMessage(Kind.HANDOVER, room, member, null, serial, Long.toString(received));
    }

    /** {@code member} handed over, with what it missed in order; {@code missed} null when refused. */
    static GridMessage handed(String room, String member, List<String> missed) {
        return missed == null ? new GridMessage(Kind.HANDED, room, member, null, 0, REFUSED)
                : new GridMessage(Kind.HANDED, room, member, null, 0, HANDED_OVER, List.copyOf(missed));
    }

    /** {@code member} moved from node {@code holder} (null: from nowhere) at roster {@code version}; {@code told} are the nodes that may still route it there. */
    static GridMessage moved(String room, String member, String holder, long version, Set<String> told) {
        return new GridMessage(Kind.MOVED, room, member, holder, version, String.join(",", told));
    }

    static GridMessage switched(String room, String member, String route) {
        return new GridMessage(Kind.SWITCHED, room, member, route, 0, null);
    }

    static GridMessage forwarded(String room, String member, String text) {
        return new GridMessage(Kind.FORWARDED, room, null, member, 0, text);
    }

    /** For a {@link Kind#HANDED}: whether the member was handed over (else refused). */
    boolean handedOver() {
        return HANDED_OVER.equals(text);
    }

    /** The wire form. */
    String[] fields() {
        String[] fields = Arrays.copyOf(new String[] {kind.code, room, from, to, Long.toString(version), text}, FIELDS + carried.size());
        for (int i = 0; i < carried.size(); i++) {
            fields[FIELDS + i] = carried.get(i);
        }
        return fields;
    }

    /** The message of a wire form; null, logged, when its kind is unknown (a node of another version). */
    static GridMessage of(String[] fields) {
        Kind kind = Kind.of(fields[0]);
        if (kind == null) {
            LOG.warning(() -> "Unknown grid message kind " + fields[0] + "; a node of another version?");
            return null;
        }
        // Only presence, moves and hand-overs carry a version; the others carry "0", unread.
        boolean versioned = kind == Kind.JOINED || kind == Kind.LEFT || kind == Kind.MOVED || kind == Kind.HANDOVER;
        long version = versioned ? Long.parseLong(fields[4]) : 0;
        List<String> carried = kind == Kind.HANDED ? List.of(Arrays.copyOfRange(fields, FIELDS, fields.length)) : List.of();
        return new GridMessage(kind, fields[1], fields[2], fields[3], version, fields[5], carried);
    }

    /** The removal a {@link Kind#REMOVE} names; null, logged, when this version knows no such removal. */
    Removal removal() {
        for (Removal why : Removal.values()) {
            if (why.name().equals(text)) {
                return why;
            }
        }
        LOG.warning(() -> "Unknown removal " + text + "; a node of another version?");
        return null;
    }

    /** For a {@link Kind#HANDOVER}: how many messages the member's client received; -1 when it did not say. */
    long received() {
        return Long.parseLong(text);
    }
}
