package dev.switchboard.adapter.socks.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.switchboard.socks.relay.Dialer;
import dev.switchboard.socks.relay.Refusal;
import dev.switchboard.socks.relay.SocksServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Connects straight to the target. Names are resolved on the blocking pool (the JDK resolver blocks);
 * unless allowed, targets on this host or its private networks are refused, so a paying client cannot
 * reach the host's own services (the JSON-RPC port on 127.0.0.1, say) through the proxy.
 */
final class DirectDialer implements Dialer {

    private final Executor blocking;
    private final boolean allowPrivateTargets;
    private final int connectTimeoutMillis;

    DirectDialer(Executor blocking, boolean allowPrivateTargets, int connectTimeoutMillis) {
        this.blocking = blocking;
        this.allowPrivateTargets = allowPrivateTargets;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public Future<Channel> dial(Channel inbound, Socks5CommandRequest request) {
        EventLoop loop = inbound.eventLoop();
        Promise<Channel> dialed = loop.newPromise();
        try {
            blocking.execute(() -> {
                try {
                    InetAddress address = resolve(request);
                    loop.execute(() -> connect(inbound, new InetSocketAddress(address, request.dstPort()), dialed));
                } catch (Refusal refusal) {
                    dialed.tryFailure(refusal);
                } catch (RejectedExecutionException e) {
                    dialed.tryFailure(new Refusal(Socks5CommandStatus.FAILURE, "the adapter is stopping"));
                }
            });
        } catch (RejectedExecutionException e) {
            dialed.tryFailure(new Refusal(Socks5CommandStatus.FAILURE, "the adapter is stopping"));
        }
        return dialed;
    }

    private InetAddress resolve(Socks5CommandRequest request) throws Refusal {
        InetAddress address;
        try {
            // an IPv4 or IPv6 literal is parsed, not looked up
            address = InetAddress.getByName(request.dstAddr());
        } catch (UnknownHostException e) {
            throw new Refusal(Socks5CommandStatus.HOST_UNREACHABLE, "cannot resolve " + request.dstAddr());
        }
        if (!allowPrivateTargets && isPrivate(address)) {
            throw new Refusal(Socks5CommandStatus.FORBIDDEN, (request.dstAddrType() == Socks5AddressType.DOMAIN
                    ? request.dstAddr() + " is " + address.getHostAddress() + ", " : "")
                    + "a local or private address");
        }
        return address;
    }

    static boolean isPrivate(InetAddress address) {
        return address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()
                // IPv6 unique local addresses, fc00::/7
                || address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    private void connect(Channel inbound, InetSocketAddress target, Promise<Channel> dialed) {
        ChannelFuture connecting = SocksServer.outbound(inbound, connectTimeoutMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // a bootstrap needs a handler; the relay is added once connected
                    }
                })
                .connect(target);
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                dialed.trySuccess(connecting.channel());
            } else {
                dialed.tryFailure(Refusal.of(done.cause()));
            }
        });
    }
}
