package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViolationLogTest {

    @Test
    void plainValuesAreWrittenAsTheyAre() {
        assertEquals("event=protocol-violation code=BAD_MESSAGE address=127.0.0.1 room=it-1_a",
                ViolationLog.line("BAD_MESSAGE", "127.0.0.1", "room", "it-1_a"));
        assertEquals("event=protocol-violation code=RATE_LIMITED address=0:0:0:0:0:0:0:1%lo room=r",
                ViolationLog.line("RATE_LIMITED", "0:0:0:0:0:0:0:1%lo", "room", "r"));
    }

    @Test
    void clientChosenValuesCannotForgeFieldsOrLines() {
        assertEquals("event=protocol-violation code=BAD_ROOM address=10.0.0.1 room=\"a b code=OK\"",
                ViolationLog.line("BAD_ROOM", "10.0.0.1", "room", "a b code=OK"));
        assertEquals("event=protocol-violation code=BAD_ROOM address=10.0.0.1 room=\"x\\u000a"
                        + "event=protocol-violation \\\"q\\\" \\\\ \\u202e\"",
                ViolationLog.line("BAD_ROOM", "10.0.0.1", "room", "x\nevent=protocol-violation \"q\" \\ \u202e"));
        assertEquals("event=protocol-violation code=FORBIDDEN_ORIGIN address=10.0.0.1 origin=\"\"",
                ViolationLog.line("FORBIDDEN_ORIGIN", "10.0.0.1", "origin", ""));
    }

    @Test
    void longValuesAreCutAndMissingOnesLeftOut() {
        String line = ViolationLog.line("BAD_ROOM", "10.0.0.1", "room", "r".repeat(5000));
        assertEquals("event=protocol-violation code=BAD_ROOM address=10.0.0.1 room=\"" + "r".repeat(80) + "...\"", line);
        assertEquals("event=protocol-violation code=UNAUTHORIZED address=10.0.0.1",
                ViolationLog.line("UNAUTHORIZED", "10.0.0.1", "room", null));
    }

    @Test
    void aFloodOfViolationsWritesAtMostTheBudget() {
        Logger logger = Logger.getLogger(ViolationLog.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            ViolationLog log = new ViolationLog();
            for (int i = 0; i < 1000; i++) {
                log.report("BAD_MESSAGE", "127.0.0.1", "flood");
            }
            log.stop();
            // The burst of one second's worth, then the summary of everything left out.
            assertTrue(records.size() >= ViolationLog.LINES_PER_SECOND + 1 && records.size() <= ViolationLog.LINES_PER_SECOND + 2,
                    "lines: " + records.size());
            assertTrue(records.stream().allMatch(r -> r.getLevel() == Level.WARNING));
            LogRecord summary = records.get(records.size() - 1);
            assertEquals("event=protocol-violations-suppressed count={0} seconds={1}", summary.getMessage());
            assertEquals(1000 - (records.size() - 1), Long.parseLong((String) summary.getParameters()[0]));
        } finally {
            logger.removeHandler(handler);
        }
    }
}
