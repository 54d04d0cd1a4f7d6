package dev.rendezvous.signaling;

/**
 * The documented error codes of protocol v1 (see docs/PROTOCOL.md), each with the text a client
 * gets unless the moment has a better one, and the close that follows it (none: the socket stays open).
 */
public enum ErrorCode {
    /** Not JSON, not an object, or a field missing or of the wrong type. */
    BAD_MESSAGE("the message is not a protocol message", null),
    /** A {@code type} this server does not accept from clients. */
    UNKNOWN_TYPE("unknown message type", null),
    /** {@code to} names nobody else in the sender's room. */
    UNKNOWN_PEER("no other member of this room has that id", null),
    /** The message is over the size limit. */
    TOO_LARGE("the message is over the size limit", Close.TOO_LARGE),
    /** The room already holds its maximum of peers. */
    ROOM_FULL("the room is full", Close.ROOM_FULL),
    /** The room name is not 1–64 characters of {@code [A-Za-z0-9_-]}. */
    BAD_ROOM("room names are 1-64 characters of A-Z a-z 0-9 _ -", Close.BAD_ROOM),
    /** Access tokens are required and this one is missing, invalid, expired or for another room. */
    UNAUTHORIZED("an access token for this room is required", Close.UNAUTHORIZED),
    /** The message was over the connection's rate and was dropped (sustained: 4429). */
    RATE_LIMITED("too many messages: this one was dropped", null),
    /** The server or this client address has as many connections as allowed. */
    TOO_MANY_CONNECTIONS("the server has as many connections as it allows; try again later", Close.TOO_MANY_CONNECTIONS),
    /** The room does not exist and the server has as many rooms as allowed. */
    TOO_MANY_ROOMS("the server has as many rooms as it allows; try again later", Close.TOO_MANY_ROOMS),
    /** The resume token is unknown, used or expired, or missed messages are lost; the socket joins afresh. */
    RESUME_FAILED("the membership could not be resumed", null);

    private final String text;
    private final Close close;

    ErrorCode(String text, Close close) {
        this.text = text;
        this.close = close;
    }

    /** The message a client gets with this code when nothing more specific is known. */
    public String text() {
        return text;
    }

    /** The close that follows this error, or {@code null} when the socket stays open. */
    public Close close() {
        return close;
    }
}
