/**
 * The wire: the {@code /signal/{room}} WebSocket endpoint, the envelope types of protocol v1,
 * the one decoder and one encoder that turn them into JSON and back, the per-connection
 * outbox that keeps sends to one socket in order, and the upgrade wrapper that lets a close the
 * server decides reach a client still sending. The rules of rooms live in
 * {@link dev.rendezvous.room}; this package only translates between them and the socket.
 */
package dev.rendezvous.signaling;
