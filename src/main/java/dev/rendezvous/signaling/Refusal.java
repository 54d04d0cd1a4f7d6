package dev.rendezvous.signaling;

/**
 * A connection turned away before it got in, by {@link Admission} or by {@link Membership}: the
 * client gets the error {@code code} with {@code message}, then the close {@code code} names.
 */
record Refusal(ErrorCode code, String message) implements Admission.Verdict, Membership.Entry {
}
