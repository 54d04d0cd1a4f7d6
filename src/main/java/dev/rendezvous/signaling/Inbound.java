package dev.rendezvous.signaling;

/**
 * Everything a client can send, as decoded: a {@link Signal} to relay, a {@link Ping}, a
 * {@link Bye}, or an {@link Invalid} message the decoder refused with a documented code.
 */
public sealed interface Inbound permits Signal, Inbound.Ping, Inbound.Bye, Inbound.Invalid {

    /** {@code {"type":"ping"}}: answered with a pong. */
    record Ping() implements Inbound {
    }

    /** {@code {"type":"bye"}}: leave the room; the server then closes with 1000. */
    record Bye() implements Inbound {
    }

    /** A message that cannot be acted on, and the error the sender gets for it. */
    record Invalid(ErrorCode code, String message) implements Inbound {
    }
}
