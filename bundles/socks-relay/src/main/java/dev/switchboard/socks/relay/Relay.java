package dev.switchboard.socks.relay;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.DefaultChannelProgressivePromise;

/**
 * One direction of a tunnel: forwards every buffer read on its channel to the peer as it is (no copy,
 * no allocation). Reading pauses while the peer cannot take more.
 *
 * <p>Usage is what was written to the peer: a byte counts once the peer's socket has taken it (the
 * kernel accepted it for sending), not when it was read. Bytes still queued in the relay when the
 * connection is closed (a cut, a stop) are dropped and never counted. The count can only run ahead of
 * what the peer received by what sat in the kernel's buffers (this socket's send buffer, the peer's
 * receive buffer) at the close, and only when the connection is reset: an orderly close delivers them.
 */
final class Relay extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final Tunnel tunnel;
    private final Channel peer;
    private final WrittenBytes written;
    private final boolean clientSide;

    private Relay(Tunnel tunnel, Channel peer, AtomicLong counter, boolean clientSide) {
        this.tunnel = tunnel;
        this.peer = peer;
        this.written = new WrittenBytes(peer, counter);
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
        peer.write(msg, written);
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
        if (clientSide && cause instanceof IOException) {
            LOG.info("Client {} vanished mid-stream ({}) after {} bytes up, {} down", tunnel.remote(),
                    cause.getMessage(), tunnel.bytesUp(), tunnel.bytesDown());
        } else {
            LOG.debug("{} of client {} failed: {}", clientSide ? "Client connection" : "Target connection",
                    tunnel.remote(), cause.toString());
        }
        ctx.close();
    }

    /**
     * Counts the bytes written to the peer as its socket takes them. netty reports each partial write of
     * the buffer at the head of the peer's outbound queue as progress (cumulative for that buffer), then
     * succeeds it, or fails it with the queue when the channel closes: in queue order, on the event loop.
     * So a buffer cut short counts the part that left, and one still queued counts nothing. One instance
     * serves every write of the relay, so metering allocates nothing per buffer: it never completes and
     * nothing listens to it, it only counts.
     */
    private static final class WrittenBytes extends DefaultChannelProgressivePromise {

        private final AtomicLong counter;
        /** What is counted of the buffer at the head of the queue. */
        private long counted;

        WrittenBytes(Channel peer, AtomicLong counter) {
            super(peer);
            this.counter = counter;
        }

        @Override
        public boolean tryProgress(long progress, long total) {
            counter.addAndGet(progress - counted);
            counted = progress;
            return true;
        }

        @Override
        public ChannelProgressivePromise setProgress(long progress, long total) {
            tryProgress(progress, total);
            return this;
        }

        /** The head buffer is written: the next one starts from nothing. */
        @Override
        public boolean trySuccess(Void result) {
            counted = 0;
            return true;
        }

        @Override
        public ChannelProgressivePromise setSuccess(Void result) {
            trySuccess(result);
            return this;
        }

        /** A buffer dropped unwritten (or its unwritten rest) is not counted. */
        @Override
        public boolean tryFailure(Throwable cause) {
            counted = 0;
            return true;
        }

        @Override
        public ChannelProgressivePromise setFailure(Throwable cause) {
            tryFailure(cause);
            return this;
        }
    }
}
