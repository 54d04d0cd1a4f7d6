package dev.rendezvous.signaling;

import jakarta.websocket.SendHandler;

/**
 * A connection's text frames written past the WebSocket implementation, encoded by the WAR: Tyrus
 * encodes each outgoing text a character at a time, where {@code String.getBytes} copies an ASCII
 * text whole. Given to a connection only where the WAR holds the upgraded stream ({@link GatedOutput}).
 */
interface TextFrames {

    /**
     * Writes one final text frame carrying {@code text}; {@code done} is told once the container
     * has it, or that it failed. One at a time: the next only after {@code done}.
     */
    void writeText(String text, SendHandler done);

    /** The connection is over for its writer: a frame still waiting is dropped, its handler not told and not kept. */
    void abandon();
}
