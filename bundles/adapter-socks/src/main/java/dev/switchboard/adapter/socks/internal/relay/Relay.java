package dev.switchboard.adapter.socks.internal.relay;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One direction of a tunnel: forwards every buffer read on its channel to the peer as it is (no copy,
 * no allocation), counting its readable bytes. Reading pauses while the peer cannot take more.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final Tunnel tunnel;
    private final Channel peer;
    private final AtomicLong counter;
    private final boolean clientSide;

    private Relay(Tunnel tunnel, Channel peer, AtomicLong counter, boolean clientSide) {
        this.tunnel = tunnel;
        this.peer = peer;
        this.counter = counter;
        this.clientSide = clientSide;
    }

    /** Reads the client, writes the target: bytes up. */
    static Relay fromClient(Tunnel tunnel) {
        return new Relay(tunnel, tunnel.outbound(), tunnel.up(), true);
    }

    /** Reads the target, writes the client: bytes down. */
    static Relay fromTarget(Tunnel tunnel) {
        return new Relay(tunnel, tunnel.inbound(), tunnel.down(), false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            counter.addAndGet(bytes.readableBytes());
        }
        peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // what was read from this side still reaches the other before it closes
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // writes still queued when the proxy itself cuts a client fail with ClosedChannelException: not news
        if (clientSide && cause instanceof IOException && !(cause instanceof ClosedChannelException)) {
            LOG.info("Client {} vanished mid-stream ({}) after {} bytes up, {} down", tunnel.remote(),
                    cause.getMessage(), tunnel.bytesUp(), tunnel.bytesDown());
        } else {
            LOG.debug("{} of client {} failed: {}", clientSide ? "Client connection" : "Target connection",
                    tunnel.remote(), cause.toString());
        }
        ctx.close();
    }
}
