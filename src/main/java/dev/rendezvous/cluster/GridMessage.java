package dev.rendezvous.cluster;

import dev.rendezvous.room.Removal;

import java.util.logging.Logger;

/**
 * A message from one node to another about a room, and its wire form on the grid:
 * {@code String[] {kind, room, from, to, version, text}}.
 *
 * <p>Nodes of two versions share this form during a rolling upgrade, so it changes only by
 * addition: a kind is one letter, the version decimal, and a removal travels by its
 * {@link Removal}'s name; what a node does not know it logs and drops.
 */
record GridMessage(Kind kind, String room, String from, String to, long version, String text) {

    private static final Logger LOG = Logger.getLogger(GridMessage.class.getName());

    enum Kind {
        /** {@code from} joined at roster {@code version}; the text announces it. */
        JOINED("j"),
        /** {@code from} left at roster {@code version}; the text announces it. */
        LEFT("l"),
        /** A signal from {@code from} to the member {@code to}, or to every member when {@code to} is null. */
        SIGNAL("s"),
        /** {@code to} is removed by an administrator; the text is the {@link Removal}'s name. */
        REMOVE("r");

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

    /** The wire form. */
    String[] fields() {
        return new String[] {kind.code, room, from, to, Long.toString(version), text};
    }

    /** The message of a wire form; null, logged, when its kind is unknown (a node of another version). */
    static GridMessage of(String[] fields) {
        Kind kind = Kind.of(fields[0]);
        if (kind == null) {
            LOG.warning(() -> "Unknown grid message kind " + fields[0] + "; a node of another version?");
            return null;
        }
        // Only presence is ordered against a roster version; signals and removals carry "0", unread.
        long version = kind == Kind.JOINED || kind == Kind.LEFT ? Long.parseLong(fields[4]) : 0;
        return new GridMessage(kind, fields[1], fields[2], fields[3], version, fields[5]);
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
}
