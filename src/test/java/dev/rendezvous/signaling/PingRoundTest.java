package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A round's steps are run by hand: what {@link PingRound.Later} was asked to run is run when the test says so. */
class PingRoundTest {

    private final List<Integer> pinged = new ArrayList<>();
    private final Deque<Runnable> scheduled = new ArrayDeque<>();
    private final List<Long> delays = new ArrayList<>();

    private PingRound.Later recorded() {
        return (nanos, step) -> {
            delays.add(nanos);
            scheduled.add(step);
        };
    }

    private void start(int sockets, long spreadOverMillis) {
        PingRound.start(IntStream.range(0, sockets).boxed().toList(), spreadOverMillis, pinged::add, recorded());
    }

    /** Runs the scheduled steps one by one; returns how many sockets each pinged, the first (run by start) included. */
    private List<Integer> runSteps() {
        List<Integer> perStep = new ArrayList<>(List.of(pinged.size()));
        while (!scheduled.isEmpty()) {
            int before = pinged.size();
            scheduled.poll().run();
            perStep.add(pinged.size() - before);
        }
        return perStep;
    }

    @Test
    void aRoundPingsOneSocketNowAndEachOtherAStepLaterSpreadOverItsWindow() {
        start(100, 7_500);
        assertEquals(List.of(0), pinged);
        assertEquals(1, scheduled.size(), "the rest waits for the next step");

        List<Integer> perStep = runSteps();
        assertEquals(100, perStep.size());
        assertTrue(perStep.stream().allMatch(n -> n == 1), perStep.toString());
        assertEquals(IntStream.range(0, 100).boxed().toList(), pinged, "each socket once, in order");
        assertEquals(99, delays.size());
        assertTrue(delays.stream().allMatch(nanos -> nanos == TimeUnit.MILLISECONDS.toNanos(75)), "every step 75 ms after the one before");
    }

    @Test
    void moreSocketsThanStepsFitTakeAFewAtEachStepNeverCloserThanTheLeastStep() {
        start(400, 7_500);
        List<Integer> perStep = runSteps();
        assertEquals(3, perStep.get(0), "150 steps of 50 ms fit in 7.5 s");
        assertEquals(134, perStep.size());
        assertEquals(IntStream.range(0, 400).boxed().toList(), pinged);

        pinged.clear();
        delays.clear();
        start(10_000, 7_500);
        perStep = runSteps();
        assertEquals(67, perStep.get(0));
        assertEquals(150, perStep.size());
        assertEquals(10_000, pinged.size());
        assertEquals(10_000, pinged.stream().distinct().count());
        assertTrue(delays.stream().allMatch(nanos -> nanos >= TimeUnit.MILLISECONDS.toNanos(PingRound.MIN_STEP_MILLIS)));
        assertTrue(delays.stream().mapToLong(Long::longValue).sum() <= TimeUnit.MILLISECONDS.toNanos(7_500));
    }

    @Test
    void aShortWindowTakesMoreSocketsAStep() {
        start(1_000, 500);
        List<Integer> perStep = runSteps();
        assertEquals(10, perStep.size());
        assertTrue(perStep.stream().allMatch(n -> n == 100), perStep.toString());
        assertTrue(delays.stream().allMatch(nanos -> nanos == TimeUnit.MILLISECONDS.toNanos(50)));
    }

    @Test
    void aWindowTooShortForTwoStepsPingsEverySocketAtOnce() {
        start(10_000, 0);
        assertEquals(IntStream.range(0, 10_000).boxed().toList(), pinged);
        assertTrue(scheduled.isEmpty());

        pinged.clear();
        start(500, 2 * PingRound.MIN_STEP_MILLIS - 1);
        assertEquals(500, pinged.size());
        assertTrue(scheduled.isEmpty());

        pinged.clear();
        start(500, 2 * PingRound.MIN_STEP_MILLIS);
        assertEquals(List.of(250, 250), runSteps(), "two steps fit");
    }

    @Test
    void aSocketWhosePingFailsCostsTheOthersNothing() {
        PingRound.start(IntStream.range(0, 40).boxed().toList(), 7_500, socket -> {
            if (socket % 10 == 3) {
                throw new IllegalStateException("socket " + socket + " is gone");
            }
            pinged.add(socket);
        }, recorded());
        runSteps();
        assertEquals(IntStream.range(0, 40).filter(socket -> socket % 10 != 3).boxed().toList(), pinged);
    }

    @Test
    void aRoundOfOneSchedulesNothingAndAnEmptyOneDoesNothing() {
        start(1, 7_500);
        assertEquals(List.of(0), pinged);
        assertTrue(scheduled.isEmpty());
        start(0, 7_500);
        assertEquals(List.of(0), pinged);
        assertTrue(scheduled.isEmpty());
    }
}
