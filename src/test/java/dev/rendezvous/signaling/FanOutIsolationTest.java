package dev.rendezvous.signaling;

import dev.rendezvous.room.RoomName;
import dev.rendezvous.ops.Histogram;
import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.LocalRelay;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import dev.rendezvous.room.TestWording;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.MalformedInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One recipient whose container fails a send, however it fails, loses its own connection and
 * nothing else: the fan-out goes on to every other member, the failed one is closed and leaves (or
 * is kept for resume, for a dropped connection), the others hear of it once, and its queue never
 * stays "writing".
 */
@Timeout(30)
class FanOutIsolationTest {

    /** How the failing recipient's container fails the send of a "poison" message. */
    enum Failure {
        /** Tyrus: an {@code Error} thrown while framing text it cannot encode as UTF-8. */
        THROWS_ERROR(text -> {
            throw new Error(new MalformedInputException(1));
        }, Close.INTERNAL_ERROR.reason(), false),
        THROWS_RUNTIME_EXCEPTION(text -> {
            throw new IllegalStateException("the container refused the send");
        }, Close.WRITE_FAILED.reason(), true),
        FAILS_ITS_COMPLETION(text -> new SendResult(new IOException("connection reset")), Close.WRITE_FAILED.reason(), true);

        final Function<String, SendResult> send;
        final CloseReason reason;
        final boolean keptForResume;

        Failure(Function<String, SendResult> send, CloseReason reason, boolean keptForResume) {
            this.send = send;
            this.reason = reason;
            this.keptForResume = keptForResume;
        }
    }

    /** A member's socket as the container would give it: what was written, closed and given up. */
    private static final class Socket {
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<CloseReason> closes = new CopyOnWriteArrayList<>();
        final List<CloseReason> gaveUp = new CopyOnWriteArrayList<>();
        SessionOutbox outbox;
        Member member;
    }

    private final LocalRelay relay = new LocalRelay(TestWording.INSTANCE);
    private final Histogram latency = new Histogram("latency", "test", 1e9, 0.001, 0.01);

    private Socket join(Failure failure) {
        Socket socket = new Socket();
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    String text = (String) args[0];
                    SendResult result = failure != null && text.contains("poison") ? failure.send.apply(text) : new SendResult();
                    socket.written.add(text);
                    ((SendHandler) args[1]).onResult(result);
                    return null;
                });
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "isOpen" -> socket.closes.isEmpty();
                    case "close" -> socket.closes.add((CloseReason) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        // What the endpoint does when the server gives up on a connection: leave, unless it may come back.
        socket.outbox = new SessionOutbox(session, Long.MAX_VALUE, Runnable::run, reason -> {
            socket.gaveUp.add(reason);
            if (!Close.mayComeBack(reason)) {
                relay.leave(new RoomName("room"), socket.member);
            }
        }, latency::record);
        JoinResult result = relay.join(new RoomName("room"), "", new Mailbox(socket.outbox, true), 8, 10);
        socket.member = assertInstanceOf(JoinResult.Joined.class, result).self();
        socket.outbox.start("welcome");
        return socket;
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aFailingRecipientLosesOnlyItsOwnConnection(Failure failure) {
        Socket sender = join(null);
        Socket before = join(null);
        Socket failing = join(failure);
        Socket after = join(null);
        List<Socket> healthy = List.of(before, after);

        relay.toOthers(new RoomName("room"), sender.member, "poison");
        relay.toOthers(new RoomName("room"), sender.member, "next");

        for (Socket other : healthy) {
            assertTrue(other.written.containsAll(List.of("poison", "next")), "the fan-out went on: " + other.written);
        }
        assertEquals(List.of(failure.reason), failing.gaveUp, "the endpoint is told once");
        assertEquals(List.of(failure.reason), failing.closes, "the failed connection is closed with its reason");
        assertFalse(failing.written.contains("next"), "nothing is written after the failure");
        String left = "-" + failing.member.id();
        for (Socket other : List.of(sender, before, after)) {
            long departures = other.written.stream().filter(left::equals).count();
            assertEquals(failure.keptForResume ? 0 : 1, departures, "peer-left once, or kept for resume: " + other.written);
        }
        assertEquals(failure.keptForResume ? 4 : 3, relay.peers(new RoomName("room")).size());

        // Its queue is not stuck "writing": later sends return at once and change nothing.
        List<String> writtenBefore = new ArrayList<>(failing.written);
        failing.outbox.send("later");
        failing.outbox.ping();
        assertEquals(writtenBefore, failing.written);
        relay.toOthers(new RoomName("room"), sender.member, "still relayed");
        for (Socket other : healthy) {
            assertTrue(other.written.contains("still relayed"), other.written.toString());
        }
    }
}
