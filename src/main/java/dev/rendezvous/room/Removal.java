package dev.rendezvous.room;

/** Why the server ended a membership the member did not end itself: the client is told, and should not come back by itself. */
public enum Removal {

    /** An administrator removed this member from its room. */
    KICKED,

    /** An administrator closed the member's room, removing everyone in it. */
    ROOM_CLOSED
}
