package dev.rendezvous.signaling;

import dev.rendezvous.ops.Histogram;
import dev.rendezvous.room.Removal;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SessionOutboxTest {

    /** How the fake socket completes a send. */
    enum Completion { INLINE, ELSEWHERE, RANDOM, NEVER, FAIL, BY_TEST }

    private final ExecutorService elsewhere = Executors.newFixedThreadPool(3);
    /** Not copy-on-write: one test writes 200,001 messages, which would copy the list as often. */
    final List<String> written = Collections.synchronizedList(new ArrayList<>());
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    final List<CloseReason> gaveUp = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    /** Sends waiting for the test to complete them ({@link Completion#BY_TEST}). */
    private final List<SendHandler> pending = new CopyOnWriteArrayList<>();
    /** Frame handlers the frames past the container still hold ({@link Completion#NEVER}), until abandoned. */
    final List<SendHandler> waitingFrames = new CopyOnWriteArrayList<>();
    /** Runs as a frame is handed to the frames past the container, before they take it. */
    Runnable duringHandOver = () -> { };
    private final Histogram latency = new Histogram("latency", "test", 1e9, 0.001, 0.01, 0.1);

    @AfterEach
    void stop() {
        elsewhere.shutdownNow();
    }

    SessionOutbox outbox(Completion completion) {
        return outbox(completion, Long.MAX_VALUE);
    }

    SessionOutbox outbox(Completion completion, long maxQueued) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("sendText") || args.length != 2 || framesPastTheContainer()) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (inFlight.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    written.add((String) args[0]);
                    complete((SendHandler) args[1], completion);
                    return null;
                });
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "isOpen" -> closes.isEmpty();
                    case "close" -> closes.add((CloseReason) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        TextFrames frames = !framesPastTheContainer() ? null : new TextFrames() {
            @Override
            public void writeText(String text, SendHandler done) {
                duringHandOver.run();
                if (inFlight.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                written.add(text);
                if (completion == Completion.NEVER) {
                    // As the stream keeps a frame that waits for the socket: until it is written or abandoned.
                    waitingFrames.add(done);
                }
                complete(done, completion);
            }

            @Override
            public void abandon() {
                waitingFrames.clear();
            }
        };
        return new SessionOutbox(session, frames, maxQueued, Runnable::run, gaveUp::add, latency::record);
    }

    /** Whether text goes out as frames written past the container ({@link TextFrames}), not through {@code sendText}. */
    boolean framesPastTheContainer() {
        return false;
    }

    private void complete(SendHandler handler, Completion completion) {
        switch (completion) {
            case INLINE -> done(handler, new SendResult());
            case ELSEWHERE -> elsewhere.execute(() -> done(handler, new SendResult()));
            case RANDOM -> complete(handler, ThreadLocalRandom.current().nextBoolean() ? Completion.INLINE : Completion.ELSEWHERE);
            case FAIL -> done(handler, new SendResult(new IOException("connection reset")));
            case BY_TEST -> pending.add(handler);
            case NEVER -> { }
        }
    }

    private void done(SendHandler handler, SendResult result) {
        inFlight.decrementAndGet();
        handler.onResult(result);
    }

    @Test
    void nothingIsWrittenBeforeStartAndTheFirstMessageGoesFirst() {
        SessionOutbox outbox = outbox(Completion.INLINE);
        outbox.send("a");
        outbox.send("b");
        assertEquals(List.of(), written);
        outbox.start("welcome");
        assertEquals(List.of("welcome", "a", "b"), written);
    }

    @Test
    void messagesFromManyThreadsKeepEachSendersOrderAndNeverOverlap() throws Exception {
        SessionOutbox outbox = outbox(Completion.RANDOM);
        outbox.start("welcome");
        int senders = 6;
        int each = 2_000;
        sendFromThreads(outbox, senders, each);
        soon(30).until(() -> written.size() >= 1 + senders * each);
        assertEquals(1 + senders * each, written.size(), "every message written once");
        assertEquals(0, overlaps.get(), "never two sends in flight on one session");
        int[] next = new int[senders];
        for (String message : written.subList(1, written.size())) {
            String[] parts = message.split(":");
            int sender = Integer.parseInt(parts[0]);
            assertEquals(next[sender]++, Integer.parseInt(parts[1]), "per-sender order");
        }
    }

    /** {@code senders} threads, let go at once, each sending {@code "sender:i"} for i below {@code each}; returns when all sent. */
    private static void sendFromThreads(SessionOutbox outbox, int senders, int each) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    outbox.send(sender + ":" + i);
                }
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }

    @Test
    void sendsThatCompleteInlineDoNotDeepenTheStack() {
        SessionOutbox outbox = outbox(Completion.INLINE);
        for (int i = 0; i < 200_000; i++) {
            outbox.send("m" + i);
        }
        outbox.start("welcome");
        assertEquals(200_001, written.size());
    }

    @Test
    void aRecipientThatNeverCompletesNeverBlocksItsSenders() {
        SessionOutbox outbox = outbox(Completion.NEVER);
        outbox.start("welcome");
        for (int i = 0; i < 100_000; i++) {
            outbox.send("m" + i);
        }
        assertEquals(List.of("welcome"), written, "one send in flight, the rest queued");
    }

    @Test
    void framesBothWaysWithinTheWindowMakeItBusyAndAMessageTheContainerNeverTookDoesNotCount() {
        long second = TimeUnit.SECONDS.toNanos(1);
        SessionOutbox taken = outbox(Completion.INLINE);
        taken.start("welcome");
        long now = System.nanoTime();
        taken.heard(now);
        assertTrue(taken.busyBothWays(now + second / 2, second));
        assertFalse(taken.busyBothWays(now + 2 * second, second), "nothing either way for two seconds");
        taken.heard(now + 2 * second);
        assertFalse(taken.busyBothWays(now + 2 * second, second), "heard, but nothing went out since");

        SessionOutbox stuck = outbox(Completion.NEVER);
        stuck.start("welcome");
        long later = System.nanoTime() + 2 * second;
        stuck.heard(later);
        assertFalse(stuck.busyBothWays(later, second), "the welcome is still with the container");
    }

    @Test
    void aMessageTheContainerTookCountsAsSentAndAPingDoesNot() {
        long second = TimeUnit.SECONDS.toNanos(1);
        SessionOutbox outbox = outbox(Completion.INLINE);
        outbox.start("welcome");
        long welcomed = System.nanoTime();
        assertTrue(outbox.sentWithin(welcomed, second), "the welcome");
        assertFalse(outbox.sentWithin(welcomed + 2 * second, second));

        outbox.ping();
        assertFalse(outbox.sentWithin(System.nanoTime() + 2 * second, second), "a ping is not a message");
        outbox.send("offer");
        long offered = System.nanoTime();
        assertTrue(outbox.sentWithin(offered + second / 2, second));

        SessionOutbox stuck = outbox(Completion.NEVER);
        stuck.start("welcome");
        stuck.send("offer");
        assertFalse(stuck.sentWithin(System.nanoTime() + 2 * second, second), "still with the container");
    }

    @Test
    void aMessageOverTheBoundIsTakenWhenNothingElseWaits() {
        // signaling.outbox.max-bytes may equal the message limit; a relayed message is that plus its "from".
        SessionOutbox outbox = outbox(Completion.NEVER, 100);
        outbox.start("welcome");
        outbox.send("x".repeat(132));
        assertEquals(List.of(), gaveUp, "nothing else waits: taken");
        outbox.send("y");
        assertEquals(1, gaveUp.size(), "behind by more than the bound");
        assertEquals(1008, gaveUp.get(0).getCloseCode().getCode());
    }

    @Test
    void aReaderThatFallsTooFarBehindIsGivenUpWith1008() {
        SessionOutbox outbox = outbox(Completion.NEVER, 1000);
        outbox.start("welcome");
        for (int i = 0; i < 10; i++) {
            outbox.send("x".repeat(100));
        }
        assertEquals(List.of(), gaveUp, "exactly at the bound is still fine");
        outbox.send("one more");
        assertEquals(1, gaveUp.size());
        assertEquals(1008, gaveUp.get(0).getCloseCode().getCode());
        assertEquals(List.of(gaveUp.get(0)), closes);
        outbox.send("after");
        assertEquals(List.of("welcome"), written);
    }

    @Test
    void aRemovedMembersConnectionIsEndedWithItsDocumentedCodeAndTheEndpointIsTold() {
        SessionOutbox kicked = outbox(Completion.NEVER);
        kicked.start("welcome");
        kicked.send("queued");
        kicked.end(Removal.KICKED);
        kicked.end(Removal.KICKED);
        assertEquals(List.of(4403), gaveUp.stream().map(r -> r.getCloseCode().getCode()).toList(), "told once");
        assertEquals(gaveUp, closes, "closed at once, whatever was still queued");
        kicked.send("after");
        assertEquals(List.of("welcome"), written);

        gaveUp.clear();
        closes.clear();
        outbox(Completion.INLINE).end(Removal.ROOM_CLOSED);
        assertEquals(List.of(4404), closes.stream().map(r -> r.getCloseCode().getCode()).toList());
        assertEquals(gaveUp, closes);
    }

    @Test
    void aFailedSendEndsTheConnectionAndDropsTheRest() {
        SessionOutbox outbox = outbox(Completion.FAIL);
        outbox.start("welcome");
        outbox.send("a");
        outbox.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
        assertEquals(List.of("welcome"), written);
        assertEquals(List.of(Close.WRITE_FAILED.reason()), gaveUp, "the endpoint learns the connection is over");
    }

    @Test
    void aQueuedCloseHappensAfterEverythingQueuedBeforeIt() throws Exception {
        SessionOutbox outbox = outbox(Completion.ELSEWHERE);
        outbox.send("a");
        outbox.send("b");
        outbox.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4409), "ROOM_FULL"));
        outbox.send("after close");
        outbox.start("error");
        soon(10).until(() -> !closes.isEmpty());
        assertEquals(List.of("error", "a", "b"), written);
        assertEquals(4409, closes.get(0).getCloseCode().getCode());
        outbox.send("late");
        assertTrue(written.size() == 3 && closes.size() == 1);
    }

    /** Completes the one send in flight. */
    private void completeNext(SendResult result) {
        assertEquals(1, pending.size(), "one send in flight");
        done(pending.remove(0), result);
    }

    private long timed(String bucket) {
        StringBuilder out = new StringBuilder();
        latency.writeTo(out);
        String series = "latency_bucket{le=\"" + bucket + "\"} ";
        return out.toString().lines().filter(line -> line.startsWith(series))
                .mapToLong(line -> Long.parseLong(line.substring(series.length()))).findFirst().orElseThrow();
    }

    @Test
    void everyQueuedMessageIsTimedOnceAndTheMessagesStartPutsFirstAreNot() {
        SessionOutbox outbox = outbox(Completion.INLINE);
        for (int i = 0; i < 10; i++) {
            outbox.send("held " + i);
        }
        outbox.start("welcome", "after welcome");
        for (int i = 0; i < 990; i++) {
            outbox.send("m" + i);
        }
        assertEquals(1002, written.size());
        assertEquals(1000, latency.count());
    }

    @Test
    void aMessageIsTimedFromQueueingUntilTheContainerReportsItWritten() {
        SessionOutbox outbox = outbox(Completion.BY_TEST);
        outbox.start("welcome");
        long queued = System.nanoTime();
        outbox.send("a");
        while (System.nanoTime() - queued < TimeUnit.MILLISECONDS.toNanos(15)) {
            Thread.onSpinWait();
        }
        completeNext(new SendResult());
        assertEquals(List.of("welcome", "a"), written);
        assertEquals(0, latency.count(), "written, but not yet reported done");
        completeNext(new SendResult());
        assertEquals(1, latency.count());
        assertEquals(0, timed("0.01"), "it waited behind the welcome for more than 15 ms");
        assertEquals(1, timed("0.1"));
    }

    @Test
    void aFailedWriteIsNotTimed() {
        SessionOutbox outbox = outbox(Completion.BY_TEST);
        outbox.start("welcome");
        outbox.send("a");
        completeNext(new SendResult());
        completeNext(new SendResult(new IOException("connection reset")));
        assertEquals(0, latency.count());
    }

    @Test
    void everyMessageOfADeepBacklogIsTimed() {
        SessionOutbox outbox = outbox(Completion.BY_TEST);
        outbox.start("welcome");
        for (int i = 0; i < 200; i++) {
            outbox.send("m" + i);
        }
        while (!pending.isEmpty()) {
            completeNext(new SendResult());
        }
        assertEquals(201, written.size());
        assertEquals(200, latency.count(), "each queued message, not the welcome");
    }

    @Test
    void racingSendersHaveEveryMessageTimed() throws Exception {
        SessionOutbox outbox = outbox(Completion.RANDOM);
        outbox.start("welcome");
        int senders = 6;
        int each = 2_000;
        sendFromThreads(outbox, senders, each);
        awaitWritten(1 + senders * each);
        awaitTimed(senders * each);
        assertEquals(senders * each, latency.count());
    }

    private void awaitWritten(int count) {
        soon(30).until(() -> written.size() >= count);
        assertEquals(count, written.size());
    }

    private void awaitTimed(long count) {
        soon(30).until(() -> latency.count() >= count);
    }

    /** Polls at once and then every millisecond, for up to {@code seconds}: what it waits for takes microseconds. */
    private static ConditionFactory soon(int seconds) {
        return await().atMost(Duration.ofSeconds(seconds)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }
}
