package dev.rendezvous.signaling;

/**
 * Everything a client can send, as decoded: a {@link Signal} to relay, a {@link Ping}, a
 * {@link Bye}, an {@link Invalid} message refused with a documented code, or, from a client far
 * over its rate, a {@link Flood}.
 */
public sealed interface Inbound permits Signal, Inbound.Ping, Inbound.Bye, Inbound.Invalid, Inbound.Flood {

    /** {@code {"type":"ping"}}: answered with a pong. */
    record Ping() implements Inbound {
    }

    /** {@code {"type":"bye"}}: leave the room; the server then closes with 1000. */
    record Bye() implements Inbound {
    }

    /** A message that cannot be acted on, and the error the sender gets for it. */
    record Invalid(ErrorCode code, String message) implements Inbound {
    }

    /** A message from a client so far over its rate for so long that it is closed with 4429. */
    record Flood() implements Inbound {
    }
}
