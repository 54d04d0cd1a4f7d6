package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One member for the generator, on {@link Wire}'s event loop, speaking a {@link Dialect}. Sends
 * never block: from the event loop (a closed loop answering an arrival) they are written at once
 * and flushed together once the loop's current batch of work is done; from another thread (an open
 * loop's schedule) they are handed to the event loop. Relayed signals are handed on with their
 * arrival time, taken before anything is read; anything unexpected (an error, a close the generator
 * did not ask for) is reported as a problem. Pings are answered by Netty. A little over the usual
 * length: a member's whole life on the event loop (greeting, sends, keep-alive, leaving, the
 * unexpected) is one small state machine, read best in one place.
 */
final class WireMember extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    private final Dialect dialect;
    private final String room;
    private final int side;
    private final String who;
    private final BenchSocket.Inbox inbox;
    private final Consumer<String> problems;
    private final CompletableFuture<WireMember> greeted = new CompletableFuture<>();
    private final Runnable flush = this::flush;
    private volatile Channel channel;
    private volatile String id;
    private String greeting;
    private boolean flushPending;
    private ScheduledFuture<?> keepAlive;
    private volatile boolean closing;

    private WireMember(Dialect dialect, String room, int side, String who, BenchSocket.Inbox inbox, Consumer<String> problems) {
        super(false);
        this.dialect = dialect;
        this.room = room;
        this.side = side;
        this.who = who;
        this.inbox = inbox;
        this.problems = problems;
    }

    /**
     * Waits for every join of {@code joins}, adding the members that got in to {@code joined}; tells
     * {@code problems} of the first ten that failed, and returns how many failed.
     */
    static int await(List<CompletableFuture<WireMember>> joins, List<WireMember> joined, Collection<String> problems) {
        int failed = 0;
        for (CompletableFuture<WireMember> join : joins) {
            try {
                joined.add(join.join());
            } catch (CompletionException e) {
                failed++;
                if (failed <= 10) {
                    problems.add("a join failed: " + e.getCause());
                }
            }
        }
        return failed;
    }

    /**
     * Connects member {@code side} (0 or 1) of {@code room} to {@code target}; completes once the
     * server's greeting arrived (its {@code welcome}, PeerJS's {@code OPEN}), or fails after {@link BenchSocket#WAIT}.
     */
    static CompletableFuture<WireMember> joining(Target target, String room, int side, BenchSocket.Inbox inbox, Consumer<String> problems) {
        URI uri = target.dialect().address(target.base(), room, side);
        WireMember member = new WireMember(target.dialect(), room, side, target.name() + ":" + room + "/" + side, inbox, problems);
        Wire.shared().connect(uri, member).addListener(connected -> {
            if (!connected.isSuccess()) {
                member.greeted.completeExceptionally(connected.cause());
            }
        });
        return member.greeted.orTimeout(BenchSocket.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** {@link #joining}, waiting. */
    static WireMember join(Target target, String room, int side, BenchSocket.Inbox inbox, Consumer<String> problems) {
        return joining(target, room, side, inbox, problems).join();
    }

    /** Its id, as the server knows it. */
    String id() {
        return id;
    }

    /** The ids the greeting listed as already in the room. */
    List<String> peers() {
        return dialect.peers(greeting, room, side);
    }

    /** An envelope sent many times (a closed loop's), encoded once: {@link #send(ByteBuf)} writes it without encoding it again. */
    static ByteBuf prepare(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    void send(String text) {
        send(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)));
    }

    /** Sends an envelope {@link #prepare} made. */
    void send(ByteBuf prepared) {
        send(new TextWebSocketFrame(prepared.duplicate()));
    }

    private void send(TextWebSocketFrame frame) {
        Channel ch = channel;
        if (ch.eventLoop().inEventLoop()) {
            ch.write(frame, ch.voidPromise());
            if (!flushPending) {
                flushPending = true;
                ch.eventLoop().execute(flush);
            }
        } else {
            ch.writeAndFlush(frame, ch.voidPromise());
        }
    }

    private void flush() {
        flushPending = false;
        channel.flush();
    }

    /**
     * Leaves as the dialect's own client does: its farewell if it has one ({@code bye}), then a close
     * frame, the socket closed once that is written (Netty's WebSocket close). Does not wait for the
     * server's close frame, nor answer it.
     */
    void leave() {
        closing = true;
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        String bye = dialect.leave();
        if (bye != null) {
            send(bye);
        }
        // Through the whole pipeline, so that the WebSocket handler writes the close frame first.
        ch.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        long arrivedAt = System.nanoTime();
        // Every frame the benchmark sees is ASCII: Latin-1 decoding is a copy, where UTF-8 decoding looks at each byte.
        String text = frame.content().toString(StandardCharsets.ISO_8859_1);
        frame.release();
        switch (dialect.kind(text)) {
            case SIGNAL -> inbox.signal(dialect.sender(text), dialect.payload(text), arrivedAt);
            case GREETING -> greet(ctx, text);
            case IGNORED -> {
            }
            case PROBLEM -> problems.accept(who + ": unexpected " + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
        }
    }

    private void greet(ChannelHandlerContext ctx, String text) {
        greeting = text;
        id = dialect.id(text, room, side);
        String beat = dialect.keepAlive();
        if (beat != null) {
            long every = dialect.keepAliveEvery().toMillis();
            // Spread over the interval, as clients that joined at different times would be.
            keepAlive = ctx.executor().scheduleAtFixedRate(() -> send(beat), ThreadLocalRandom.current().nextLong(every), every,
                    TimeUnit.MILLISECONDS);
        }
        greeted.complete(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (!closing) {
            problems.accept(who + ": closed by the server");
        }
        greeted.completeExceptionally(new IllegalStateException(who + ": closed before its greeting"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) {
            problems.accept(who + ": " + cause);
        }
        greeted.completeExceptionally(cause);
        ctx.close();
    }
}
