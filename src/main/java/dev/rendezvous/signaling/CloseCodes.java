package dev.rendezvous.signaling;

import jakarta.websocket.CloseReason;

/** The close codes protocol v1 uses beyond the standard ones (see docs/PROTOCOL.md). */
final class CloseCodes {

    static final CloseReason.CloseCode BAD_ROOM = CloseReason.CloseCodes.getCloseCode(4400);
    static final CloseReason.CloseCode ROOM_FULL = CloseReason.CloseCodes.getCloseCode(4409);

    private CloseCodes() {
    }
}
