/**
 * The wire: the {@code /signal/{room}} WebSocket endpoint, the envelope types of protocol v1,
 * the one decoder and one encoder that turn them into JSON and back, and the per-connection
 * outbox that keeps sends to one socket in order. The rules of rooms live in
 * {@link dev.rendezvous.room}; this package only translates between them and the socket.
 */
package dev.rendezvous.signaling;
