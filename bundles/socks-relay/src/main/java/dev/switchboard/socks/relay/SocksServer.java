package dev.switchboard.socks.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import dev.switchboard.api.config.LogThrottle;

/**
 * A SOCKS5 front end: accepts clients, lets them through its {@link Gate}, opens their CONNECTs with
 * its {@link Dialer} and relays their bytes, metered by its {@link UsageMeter}.
 */
public final class SocksServer {

    private static final Logger LOG = LoggerFactory.getLogger(SocksServer.class);
    private static final long QUIET_SECONDS = 2;
    private static final long LINGER_SECONDS = 5;

    private final String name;
    private final Gate gate;
    private final Dialer dialer;
    private final UsageMeter meter;
    private final long handshakeTimeoutMillis;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    /** Refusals logged per client address and kind: one line every 10 s, 50 in all, the rest counted. */
    private final LogThrottle refusals = new LogThrottle(Duration.ofSeconds(10), 4096, 50);
    private Channel listener;

    private SocksServer(String name, Gate gate, Dialer dialer, UsageMeter meter, long handshakeTimeoutMillis) {
        this.name = name;
        this.gate = gate;
        this.dialer = dialer;
        this.meter = meter;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("switchboard-" + name + "-accept", true));
        this.workers = new NioEventLoopGroup(0, new DefaultThreadFactory("switchboard-" + name + "-io", true));
    }

    /**
     * Listens on {@code address}; on failure everything started, the meter included, is stopped again.
     *
     * @param handshakeTimeoutMillis how long a client may take from accept until it is connected
     */
    public static SocksServer start(String name, InetSocketAddress address, Gate gate, Dialer dialer,
            UsageMeter meter, long handshakeTimeoutMillis) {
        if (handshakeTimeoutMillis < 1) {
            meter.close();
            throw new IllegalArgumentException("handshakeTimeoutMillis must be positive");
        }
        SocksServer server = new SocksServer(name, gate, dialer, meter, handshakeTimeoutMillis);
        ChannelFuture bound = new ServerBootstrap()
                .group(server.acceptor, server.workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        server.accepted(channel);
                    }
                })
                .bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            server.close();
            throw new IllegalStateException("cannot listen on " + address + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        server.listener = bound.channel();
        return server;
    }

    private void accepted(SocketChannel channel) {
        clients.add(channel);
        Tunnel tunnel = new Tunnel(channel);
        channel.closeFuture().addListener(closed -> {
            Channel outbound = tunnel.outbound();
            if (outbound == null) {
                meter.finished(tunnel);
            } else {
                outbound.closeFuture().addListener(both -> meter.finished(tunnel));
                // the relay lets the target take what the client sent before it closes, but not for ever
                outbound.eventLoop().schedule(() -> outbound.close(), LINGER_SECONDS, TimeUnit.SECONDS);
            }
        });
        channel.pipeline()
                .addLast(Handshake.ENCODER, Socks5ServerEncoder.DEFAULT)
                .addLast(Handshake.DECODER, new Socks5InitialRequestDecoder())
                .addLast(new Handshake(this, tunnel));
    }

    /**
     * A bootstrap for the outbound leg of a tunnel: on the inbound channel's event loop, not reading
     * until the relay starts, no name resolution (the dialer decides where).
     */
    public static Bootstrap outbound(Channel inbound, int connectTimeoutMillis) {
        return new Bootstrap()
                .group(inbound.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .resolver(NoopAddressResolverGroup.INSTANCE);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Where it listens as {@code host:port}, an IPv6 host in brackets. */
    public String listening() {
        InetSocketAddress address = address();
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Open client connections, in handshake or relaying. */
    public int connections() {
        return clients.size();
    }

    public UsageMeter meter() {
        return meter;
    }

    Gate gate() {
        return gate;
    }

    Dialer dialer() {
        return dialer;
    }

    long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    LogThrottle refusals() {
        return refusals;
    }

    /**
     * Stops accepting, closes every connection and waits until each client's last usage is reported
     * and its session stopped: nothing written to a peer goes unreported, and what was still queued for
     * one when its connection closed is dropped and not reported.
     */
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        meter.stopReports();
        int open = clients.size();
        clients.close().awaitUninterruptibly();
        // once the loops have stopped every close listener has run: every tunnel is handed to the meter
        acceptor.shutdownGracefully(0, QUIET_SECONDS, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, QUIET_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly();
        acceptor.terminationFuture().awaitUninterruptibly();
        meter.close();
        LOG.debug("SOCKS5 front end {} stopped; {} connections were open", name, open);
    }
}
