/**
 * Rooms and their members: who is in which room, in join order, under a capacity that holds
 * atomically however many joins race. Members are reached through an {@link dev.rendezvous.room.Outbox};
 * this package knows nothing of WebSockets or of the wire format.
 */
package dev.rendezvous.room;
