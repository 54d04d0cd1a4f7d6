package dev.rendezvous.signaling;

import dev.rendezvous.room.RoomName;
import dev.rendezvous.ops.Histogram;
import dev.rendezvous.room.JoinResult;
import dev.rendezvous.room.LocalRelay;
import dev.rendezvous.room.Mailbox;
import dev.rendezvous.room.Member;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's own work for one relayed signal, with no container around it: what the endpoint
 * does for an {@code offer} (rate check, decode, stamp the sender, encode) and what the relay does
 * with it (find the addressee, keep it for resume, queue it on the socket, hand it to the
 * "container"), in one thread, with a stand-in socket that completes every send at once. For the
 * benchmark, to set against the container's cost per message.
 */
public final class InProcessPath {

    private static final SendResult OK = new SendResult();

    private final AtomicLong written = new AtomicLong();
    private final LocalRelay relay = new LocalRelay(new Announcements());
    private final InboundDecoder decoder = new InboundDecoder(SignalingConfig.DEFAULT_MAX_MESSAGE_BYTES);
    private final RateLimiter limiter = new RateLimiter(Integer.MAX_VALUE, Integer.MAX_VALUE, System.nanoTime());
    private final Member sender;
    private final String room;
    private final String text;

    /** Two members of a fresh room; each relayed signal is an {@code offer} of {@code bytes} from one to the other. */
    public InProcessPath(int bytes) {
        room = "path-" + Long.toHexString(System.nanoTime());
        Histogram latency = new Histogram("path_latency", "unused", 1e9, 0.001);
        sender = join("sender", latency);
        Member receiver = join("receiver", latency);
        text = "{\"type\":\"offer\",\"to\":\"" + receiver.id() + "\",\"sdp\":\"" + "x".repeat(Math.max(1, bytes - 52)) + "\"}";
    }

    private Member join(String name, Histogram latency) {
        SessionOutbox outbox = new SessionOutbox(socket(), Long.MAX_VALUE, Runnable::run, reason -> { }, latency::record);
        Member member = ((JoinResult.Joined) relay.join(new RoomName(room), name, new Mailbox(outbox, true), 2, Integer.MAX_VALUE)).self();
        outbox.start("welcome");
        return member;
    }

    /** Relays {@code count} signals; returns how many the stand-in socket was handed, welcomes and presence included. */
    public long relay(int count) {
        for (int i = 0; i < count; i++) {
            long now = System.nanoTime();
            limiter.take(now);
            Signal signal = (Signal) decoder.decode(text);
            relay.toMember(new RoomName(room), sender, signal.to(), OutboundEncoder.INSTANCE.encode(signal.from(sender.id())));
        }
        return written.get();
    }

    private Session socket() {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        written.incrementAndGet();
                        ((SendHandler) args[1]).onResult(OK);
                    }
                    return null;
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "isOpen" -> true;
                    default -> null;
                });
    }
}
