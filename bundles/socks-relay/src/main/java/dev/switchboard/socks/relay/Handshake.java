package dev.switchboard.socks.relay;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import dev.switchboard.api.config.LogText;

/**
 * The server side of a SOCKS5 handshake (RFC 1928, RFC 1929 for passwords) on netty's codec: greeting,
 * authentication, CONNECT; then it hands the connection to two {@link Relay}s and leaves the pipeline.
 * Gate and session calls run on the meter's pool with reading paused; bytes a client sends ahead of a
 * reply are held and passed on in order.
 */
final class Handshake extends ChannelInboundHandlerAdapter {

    static final String ENCODER = "socks-encoder";
    static final String DECODER = "socks-decoder";

    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

    private enum Stage {
        /** expecting a message from the current decoder */
        GREETING, AUTHENTICATION, COMMAND,
        /** a blocking step or the dial runs; bytes read meanwhile are held */
        WAITING,
        /** the reply is a refusal: bytes read are dropped */
        CLOSED
    }

    /** A step that runs off the event loop. */
    private interface Blocking {
        void run() throws Refusal;
    }

    private final SocksServer server;
    private final Tunnel tunnel;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private Stage stage = Stage.GREETING;
    private ScheduledFuture<?> deadline;

    Handshake(SocksServer server, Tunnel tunnel) {
        this.server = server;
        this.tunnel = tunnel;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> timedOut(ctx), server.handshakeTimeoutMillis(),
                TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stage = Stage.CLOSED;
        if (deadline != null) {
            deadline.cancel(false);
        }
        early.forEach(ByteBuf::release);
        early.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            beyondMessage(ctx, bytes);
            return;
        }
        try {
            if (stage == Stage.GREETING && msg instanceof Socks5InitialRequest greeting) {
                greeting(ctx, greeting);
            } else if (stage == Stage.AUTHENTICATION && msg instanceof Socks5PasswordAuthRequest request) {
                authentication(ctx, request);
            } else if (stage == Stage.COMMAND && msg instanceof Socks5CommandRequest request) {
                command(ctx, request);
            } else if (stage != Stage.CLOSED) {
                LOG.debug("SOCKS5 client {}: unexpected {} in stage {}", tunnel.remote(), LogText.quote(msg), stage);
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Bytes past a decoded message: the rest of a replaced decoder's input goes through the new
     * decoder; while waiting they are held, after a refusal dropped.
     */
    private void beyondMessage(ChannelHandlerContext ctx, ByteBuf bytes) {
        switch (stage) {
            case WAITING -> early.add(bytes);
            case CLOSED -> bytes.release();
            default -> ctx.pipeline().fireChannelRead(bytes);
        }
    }

    private void greeting(ChannelHandlerContext ctx, Socks5InitialRequest greeting) {
        if (greeting.decoderResult().isFailure()) {
            refusal("greeting", "SOCKS5 client {} sent a bad greeting ({}); closing", tunnel.remote(),
                    LogText.quote(greeting.decoderResult().cause().getMessage()));
            stage = Stage.CLOSED;
            ctx.close();
            return;
        }
        boolean password = server.gate().passwordRequired();
        Socks5AuthMethod method = password ? Socks5AuthMethod.PASSWORD : Socks5AuthMethod.NO_AUTH;
        if (!greeting.authMethods().contains(method)) {
            refusal("method", "SOCKS5 client {} offered no acceptable authentication method ({}; this proxy needs {})",
                    tunnel.remote(), greeting.authMethods(), method);
            refuse(ctx, new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED));
        } else if (password) {
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
            expect(ctx, Stage.AUTHENTICATION, new Socks5PasswordAuthRequestDecoder());
        } else {
            offLoop(ctx, () -> server.gate().admit(tunnel, null, null), refusal -> {
                refusal("admission", "SOCKS5 client {} refused: {}", tunnel.remote(), LogText.quote(refusal.getMessage()));
                refuse(ctx, new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED));
            }, () -> {
                ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
                expect(ctx, Stage.COMMAND, new Socks5CommandRequestDecoder());
            });
        }
    }

    private void authentication(ChannelHandlerContext ctx, Socks5PasswordAuthRequest request) {
        if (request.decoderResult().isFailure()) {
            refusal("authentication", "SOCKS5 client {} sent a bad authentication request ({}); refused",
                    tunnel.remote(), LogText.quote(request.decoderResult().cause().getMessage()));
            refuse(ctx, new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE));
            return;
        }
        String user = request.username();
        offLoop(ctx, () -> server.gate().admit(tunnel, user, request.password()), refusal -> {
            refusal("authentication", "SOCKS5 authentication of {} from {} refused: {}", LogText.quote(user),
                    tunnel.remote(), LogText.quote(refusal.getMessage()));
            refuse(ctx, new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE));
        }, () -> {
            ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
            expect(ctx, Stage.COMMAND, new Socks5CommandRequestDecoder());
        });
    }

    private void command(ChannelHandlerContext ctx, Socks5CommandRequest request) {
        if (request.decoderResult().isFailure()) {
            String problem = request.decoderResult().cause().getMessage();
            // the codec's only word for an address type it does not know
            Socks5CommandStatus status = problem != null && problem.startsWith("unsupported address type")
                    ? Socks5CommandStatus.ADDRESS_UNSUPPORTED : Socks5CommandStatus.FAILURE;
            refusal("command", "SOCKS5 client {} sent a bad request ({}); answered {}", tunnel.remote(),
                    LogText.quote(problem), status);
            refuse(ctx, new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4));
            return;
        }
        if (request.type() != Socks5CommandType.CONNECT) {
            refusal("command", "SOCKS5 client {} asked for {} {}:{}; only CONNECT is supported", tunnel.remote(),
                    request.type(), LogText.quote(request.dstAddr()), request.dstPort());
            refuse(ctx, new DefaultSocks5CommandResponse(Socks5CommandStatus.COMMAND_UNSUPPORTED,
                    Socks5AddressType.IPv4));
            return;
        }
        offLoop(ctx, () -> server.meter().begin(tunnel), refusal -> refused(ctx, request, refusal),
                () -> server.dialer().dial(ctx.channel(), request).addListener(dialed -> {
                    if (dialed.isSuccess()) {
                        connected(ctx, (Channel) dialed.getNow());
                    } else {
                        refused(ctx, request, Refusal.of(dialed.cause()));
                    }
                }));
    }

    private void refused(ChannelHandlerContext ctx, Socks5CommandRequest request, Refusal refusal) {
        refusal("connect", "SOCKS5 CONNECT {}:{} of {} refused, {}: {}", LogText.quote(request.dstAddr()),
                request.dstPort(), tunnel.remote(), refusal.status(), LogText.quote(refusal.getMessage()));
        refuse(ctx, new DefaultSocks5CommandResponse(refusal.status(), Socks5AddressType.IPv4));
    }

    /** A refusal's INFO line, unless one of its kind from this client's address was logged in the last 10 s. */
    private void refusal(String kind, String format, Object... arguments) {
        InetSocketAddress remote = tunnel.remote();
        String heldBack = server.refusals().admit((remote == null ? "?" : String.valueOf(remote.getAddress())) + " " + kind);
        if (heldBack != null) {
            LOG.info(format + heldBack, arguments);
        }
    }

    private void connected(ChannelHandlerContext ctx, Channel outbound) {
        if (!ctx.channel().isActive()) {
            outbound.close();
            return;
        }
        tunnel.outbound(outbound);
        deadline.cancel(false);
        InetSocketAddress bound = (InetSocketAddress) outbound.localAddress();
        String host = bound.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS,
                bound.getAddress() instanceof Inet6Address ? Socks5AddressType.IPv6 : Socks5AddressType.IPv4,
                scope < 0 ? host : host.substring(0, scope), bound.getPort()));
        // the reply is encoded: from here on only relayed bytes pass
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(ENCODER);
        pipeline.remove(DECODER);
        outbound.pipeline().addLast(Relay.fromTarget(tunnel));
        pipeline.addLast(Relay.fromClient(tunnel));
        pipeline.remove(this);
        // what the client sent ahead of the reply goes first
        if (!early.isEmpty()) {
            early.forEach(pipeline::fireChannelRead);
            early.clear();
            pipeline.fireChannelReadComplete();
        }
        outbound.config().setAutoRead(true);
        ctx.channel().config().setAutoRead(true);
        LOG.debug("SOCKS5 client {} connected to {}", tunnel.remote(), outbound.remoteAddress());
    }

    /** Puts the next stage's decoder in place and passes it what the client sent ahead. */
    private void expect(ChannelHandlerContext ctx, Stage next, ChannelHandler decoder) {
        stage = next;
        ctx.pipeline().replace(DECODER, DECODER, decoder);
        ctx.channel().config().setAutoRead(true);
        if (!early.isEmpty()) {
            List<ByteBuf> ahead = new ArrayList<>(early);
            early.clear();
            ahead.forEach(ctx.pipeline()::fireChannelRead);
        }
    }

    /**
     * Runs {@code step} on the meter's pool with reading paused, then {@code done} or {@code refused}
     * back on the event loop (unless the client has gone).
     */
    private void offLoop(ChannelHandlerContext ctx, Blocking step, Consumer<Refusal> refused, Runnable done) {
        stage = Stage.WAITING;
        ctx.channel().config().setAutoRead(false);
        try {
            server.meter().execute(() -> {
                Refusal refusal = null;
                try {
                    step.run();
                } catch (Refusal r) {
                    refusal = r;
                } catch (RuntimeException e) {
                    LOG.warn("SOCKS5 client {}: step failed", tunnel.remote(), e);
                    refusal = new Refusal(Socks5CommandStatus.FAILURE, e.toString());
                }
                Refusal outcome = refusal;
                try {
                    ctx.executor().execute(() -> {
                        if (ctx.channel().isActive()) {
                            if (outcome == null) {
                                done.run();
                            } else {
                                refused.accept(outcome);
                            }
                        }
                    });
                } catch (RejectedExecutionException e) {
                    LOG.debug("SOCKS5 client {}: the event loop stopped", tunnel.remote());
                }
            });
        } catch (RejectedExecutionException e) {
            refused.accept(new Refusal(Socks5CommandStatus.FAILURE, "the adapter is stopping"));
        }
    }

    private void refuse(ChannelHandlerContext ctx, Object reply) {
        stage = Stage.CLOSED;
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    private void timedOut(ChannelHandlerContext ctx) {
        LOG.info("SOCKS5 handshake of {} timed out after {} ms (stage {}); closing", tunnel.remote(),
                server.handshakeTimeoutMillis(), stage);
        stage = Stage.CLOSED;
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("SOCKS5 client {} failed during the handshake: {}", tunnel.remote(), cause.toString());
        stage = Stage.CLOSED;
        ctx.close();
    }
}
