package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogBudgetTest {

    private static final long START = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private static int admitted(LogBudget budget, int tries, long now) {
        int admitted = 0;
        for (int i = 0; i < tries; i++) {
            if (budget.admit(now)) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void aBurstOfOneSecondsWorthGoesThroughAndTheRestIsCounted() {
        LogBudget budget = new LogBudget(10, START);
        assertEquals(10, admitted(budget, 1000, START));
        assertEquals(990, budget.takeSuppressed());
        assertEquals(0, budget.takeSuppressed(), "taking the count resets it");
    }

    @Test
    void aFloodGetsTheRateAndNoMore() {
        LogBudget budget = new LogBudget(10, START);
        int admitted = 0;
        // 100 attempts every millisecond for 5 seconds: 500,000 lines offered.
        for (long t = START; t < START + 5_000 * MS; t += MS) {
            admitted += admitted(budget, 100, t);
        }
        assertTrue(admitted >= 58 && admitted <= 60, "10 at once, then 10 a second: " + admitted);
        assertEquals(500_000 - admitted, budget.takeSuppressed());
    }

    @Test
    void tokensComeBackWithTimeButNeverBeyondTheBurst() {
        LogBudget budget = new LogBudget(10, START);
        assertEquals(10, admitted(budget, 10, START));
        assertFalse(budget.admit(START + 99 * MS), "a tenth of a second not yet passed");
        assertTrue(budget.admit(START + 100 * MS));
        assertEquals(10, admitted(budget, 50, START + 3_600_000 * MS), "an hour of quiet still allows one burst");
    }

    @Test
    void aClockThatSeemsToGoBackGivesNothingBack() {
        LogBudget budget = new LogBudget(10, START);
        admitted(budget, 10, START);
        assertFalse(budget.admit(START - 5_000 * MS));
        assertFalse(budget.admit(START + 50 * MS));
        assertTrue(budget.admit(START + 100 * MS));
    }

    @Test
    void aRateBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LogBudget(0, START));
    }
}
