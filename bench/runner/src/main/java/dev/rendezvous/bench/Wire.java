package dev.rendezvous.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.Version;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The generator's sockets: Netty on one event loop thread, which the generator's pinning holds to
 * its core with every other thread of this JVM. Epoll where Netty's native library loads, NIO
 * otherwise. One per run ({@link #shared}): every member of every scenario lives on the same thread,
 * so the generator's cost per message is one thread's, and its CPU is this JVM's.
 */
final class Wire {

    private static final int MAX_FRAME = 1 << 20;
    private static Wire shared;

    private final EventLoopGroup loop;
    private final Bootstrap bootstrap;
    private final String transport;

    private Wire() {
        // Leak detection samples buffers and records their touches: a cost per frame the generator does not need.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        boolean epoll = Epoll.isAvailable();
        this.loop = new MultiThreadIoEventLoopGroup(1, runnable -> {
            Thread thread = new Thread(runnable, "bench-wire");
            thread.setDaemon(true);
            return thread;
        }, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(loop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) BenchSocket.WAIT.toMillis());
        Version netty = Version.identify().get("netty-common");
        this.transport = "Netty " + (netty == null ? "" : netty.artifactVersion() + ", ")
                + (epoll ? "epoll" : "NIO (epoll unavailable: " + Epoll.unavailabilityCause() + ")") + ", one event loop thread";
    }

    static synchronized Wire shared() {
        if (shared == null) {
            shared = new Wire();
        }
        return shared;
    }

    static synchronized void closeShared() {
        if (shared != null) {
            shared.loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            shared = null;
        }
    }

    /**
     * Opens a WebSocket to {@code uri} whose frames, once the handshake is done, reach {@code member}
     * (whole: fragments joined, no UTF-8 check, no {@code Origin} header, as a non-browser client);
     * the future fails only if the TCP connect does.
     */
    ChannelFuture connect(URI uri, ChannelHandler member) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                .handshakeTimeoutMillis(BenchSocket.WAIT.toMillis()).maxFramePayloadLength(MAX_FRAME)
                .generateOriginHeader(false).withUTF8Validator(false).forceCloseTimeoutMillis(2_000).build();
        return bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536), new WebSocketClientProtocolHandler(config),
                        new WebSocketFrameAggregator(MAX_FRAME), member);
            }
        }).connect(uri.getHost(), uri.getPort());
    }

    /** What the generator runs on, for the run's header. */
    String transport() {
        return transport;
    }
}
