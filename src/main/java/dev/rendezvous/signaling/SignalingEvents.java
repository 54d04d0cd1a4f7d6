package dev.rendezvous.signaling;

/**
 * What happens on this node's signaling sockets, told to whoever keeps count (the metrics). Called
 * on the path of every message: an implementation must be cheap, allocation-free and never throw.
 */
public interface SignalingEvents {

    /** A signal from a client of this node was handed to the relay (a broadcast counts once). */
    void relayed(Signal signal);

    /** An error message went to a client. */
    void errorSent(ErrorCode code);

    /** An admitted socket ended with this close code; called once per socket. */
    void closed(int code);

    /** A connection asked to resume; {@code resumed} whether it did. */
    void resumeAttempted(boolean resumed);

    /** A message was dropped for going over its socket's rate. */
    void rateLimited();

    /** A queued message was written, {@code nanos} after it was queued. */
    void written(long nanos);
}
