package dev.rendezvous.signaling;

import jakarta.websocket.CloseReason;

/** The close codes protocol v1 uses beyond the standard ones (see docs/PROTOCOL.md). */
final class CloseCodes {

    static final CloseReason.CloseCode BAD_ROOM = CloseReason.CloseCodes.getCloseCode(4400);
    static final CloseReason.CloseCode UNAUTHORIZED = CloseReason.CloseCodes.getCloseCode(4401);
    static final CloseReason.CloseCode ROOM_FULL = CloseReason.CloseCodes.getCloseCode(4409);
    static final CloseReason.CloseCode RATE_ABUSE = CloseReason.CloseCodes.getCloseCode(4429);
    /** A client closing with this code will be back: its place is kept for resume. */
    static final int BE_RIGHT_BACK = 4000;
    /** The server removed the member ({@link dev.rendezvous.room.Removal}): the client should not come back by itself. */
    static final CloseReason KICKED = new CloseReason(CloseReason.CloseCodes.getCloseCode(4403),
            "removed by an administrator");
    static final CloseReason ROOM_CLOSED = new CloseReason(CloseReason.CloseCodes.getCloseCode(4404),
            "room closed by an administrator");
    static final CloseReason SUPERSEDED = new CloseReason(CloseReason.CloseCodes.getCloseCode(4410),
            "resumed on another connection");

    private CloseCodes() {
    }
}
