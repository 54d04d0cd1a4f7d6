package dev.rendezvous.signaling;

/** Every test of {@link SessionOutboxTest}, with text written as frames past the container ({@link TextFrames}). */
class SessionOutboxFramesTest extends SessionOutboxTest {

    @Override
    boolean framesPastTheContainer() {
        return true;
    }
}
