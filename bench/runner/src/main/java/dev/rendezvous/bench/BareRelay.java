package dev.rendezvous.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ResourceLeakDetector;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The least a WebSocket relay can cost on one core, to show how much the generator can drive: a
 * process of its own ({@link BareRelayNode}) on Netty, one event loop thread, at {@code /bare/{room}},
 * speaking what {@link FloorEndpoint} speaks (a {@code welcome} naming the member, each text frame
 * passed to the other socket of the room with {@code "from"} spliced in). Everything runs on its one
 * thread, so plain maps do; writes are flushed once per batch of reads. Not a product, not a test.
 */
public final class BareRelay {

    private BareRelay() {
    }

    public static void main(String[] args) throws InterruptedException {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        int port = Integer.parseInt(args[0]);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Map<String, Channel[]> rooms = new HashMap<>();
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder().websocketPath("/bare")
                .checkStartsWith(true).maxFramePayloadLength(1 << 20).withUTF8Validator(false).build();
        new ServerBootstrap().group(loop).channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                                new WebSocketServerProtocolHandler(config), new Member(rooms));
                    }
                }).bind("127.0.0.1", port).sync().channel().closeFuture().sync();
    }

    /** One socket: its room's pair, its side, and what it splices into each frame it passes on. */
    private static final class Member extends SimpleChannelInboundHandler<TextWebSocketFrame> {

        private final Map<String, Channel[]> rooms;
        private Channel[] pair;
        private int side;
        private String room;
        private byte[] spliced;
        private Channel dirty;

        Member(Map<String, Channel[]> rooms) {
            super(false);
            this.rooms = rooms;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                String uri = handshake.requestUri();
                int query = uri.indexOf('?');
                room = uri.substring("/bare/".length(), query < 0 ? uri.length() : query);
                pair = rooms.computeIfAbsent(room, r -> new Channel[2]);
                side = pair[0] == null ? 0 : 1;
                pair[side] = ctx.channel();
                spliced = ("{\"from\":\"" + room + "-" + side + "\",").getBytes(StandardCharsets.US_ASCII);
                String other = pair[1 - side] == null ? "" : "{\"peer\":\"" + room + "-" + (1 - side) + "\"}";
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"welcome\",\"peer\":\"" + room + "-" + side + "\",\"peers\":["
                        + other + "]}"));
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            Channel other = pair == null ? null : pair[1 - side];
            if (other == null || frame.content().getByte(frame.content().readerIndex() + 9) == 'b') {
                // {"type":"bye"} or nowhere to go: the member leaves.
                frame.release();
                ctx.close();
                return;
            }
            var out = ctx.alloc().buffer(spliced.length + frame.content().readableBytes());
            out.writeBytes(spliced).writeBytes(frame.content(), frame.content().readerIndex() + 1, frame.content().readableBytes() - 1);
            frame.release();
            other.write(new TextWebSocketFrame(out), other.voidPromise());
            dirty = other;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (dirty != null) {
                dirty.flush();
                dirty = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pair != null) {
                pair[side] = null;
                if (pair[1 - side] == null) {
                    rooms.remove(room, pair);
                }
            }
        }
    }
}
