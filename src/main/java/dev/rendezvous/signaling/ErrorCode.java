package dev.rendezvous.signaling;

/** The documented error codes of protocol v1 (see docs/PROTOCOL.md). */
public enum ErrorCode {
    /** Not JSON, not an object, or a field missing or of the wrong type; the socket stays open. */
    BAD_MESSAGE,
    /** A {@code type} this server does not accept from clients; the socket stays open. */
    UNKNOWN_TYPE,
    /** {@code to} names nobody else in the sender's room; the socket stays open. */
    UNKNOWN_PEER,
    /** The message is over the size limit; the socket is closed with 1009. */
    TOO_LARGE,
    /** The room already holds its maximum of peers; the socket is closed with 4409. */
    ROOM_FULL,
    /** The room name is not 1–64 characters of {@code [A-Za-z0-9_-]}; the socket is closed with 4400. */
    BAD_ROOM,
    /** Access tokens are required and this one is missing, invalid, expired or for another room; closed with 4401. */
    UNAUTHORIZED,
    /** The message was over the connection's rate and was dropped; the socket stays open (sustained: 4429). */
    RATE_LIMITED,
    /** The server or this client address has as many connections as allowed; closed with 1013. */
    TOO_MANY_CONNECTIONS,
    /** The room does not exist and the server has as many rooms as allowed; closed with 1013. */
    TOO_MANY_ROOMS,
    /** The resume token is unknown, used or expired, or missed messages are lost; the socket joins afresh. */
    RESUME_FAILED
}
