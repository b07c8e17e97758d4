package dev.switchboard.adapter.socks.client.internal;

import java.net.InetSocketAddress;

import dev.switchboard.adapter.socks.internal.relay.Dialer;
import dev.switchboard.adapter.socks.internal.relay.Refusal;
import dev.switchboard.adapter.socks.internal.relay.SocksServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Opens every CONNECT through the agent's SOCKS5 proxy with the order's credentials (netty's
 * {@link Socks5ProxyHandler}); names go to the agent unresolved. The agent's reply status is passed on
 * to the local client.
 */
final class ProxyDialer implements Dialer {

    private static final String PROXY = "agent-proxy";
    private static final String REPLIES = "agent-replies";
    private static final String QUIET = "agent-quiet";

    private final InetSocketAddress agent;
    private final String clientKey;
    private final String password;
    private final int connectTimeoutMillis;

    /** {@code agent} is resolved: nothing on the event loop may wait for a name. */
    ProxyDialer(InetSocketAddress agent, String clientKey, String password, int connectTimeoutMillis) {
        this.agent = agent;
        this.clientKey = clientKey;
        this.password = password;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public Future<Channel> dial(Channel inbound, Socks5CommandRequest request) {
        Promise<Channel> dialed = inbound.eventLoop().newPromise();
        AgentReplies replies = new AgentReplies();
        SocksServer.outbound(inbound, connectTimeoutMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        Socks5ProxyHandler proxy = new Socks5ProxyHandler(agent, clientKey, password);
                        proxy.setConnectTimeoutMillis(connectTimeoutMillis);
                        // the replies are read between the proxy handler's decoder and itself
                        channel.pipeline().addLast(PROXY, proxy).addBefore(PROXY, REPLIES, replies)
                                .addLast(QUIET, new Quiet());
                        proxy.connectFuture().addListener(done -> {
                            if (done.isSuccess()) {
                                channel.pipeline().remove(REPLIES);
                                channel.pipeline().remove(QUIET);
                                dialed.trySuccess(channel);
                            } else {
                                dialed.tryFailure(replies.refusal(done.cause()));
                            }
                        });
                    }
                })
                .connect(target(request))
                .addListener(connected -> {
                    if (!connected.isSuccess()) {
                        dialed.tryFailure(new Refusal(Socks5CommandStatus.FAILURE, "the agent's proxy at " + agent
                                + " is unreachable: " + connected.cause().getMessage()));
                    }
                });
        return dialed;
    }

    /** A literal address stays one (so the agent sees its type); a name goes unresolved. */
    private static InetSocketAddress target(Socks5CommandRequest request) {
        if (request.dstAddrType() == Socks5AddressType.DOMAIN) {
            return InetSocketAddress.createUnresolved(request.dstAddr(), request.dstPort());
        }
        return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(request.dstAddr()),
                request.dstPort());
    }

    /** What the agent answered, to tell the local client why its CONNECT failed. */
    private static final class AgentReplies extends ChannelInboundHandlerAdapter {

        private Socks5CommandStatus status;
        private boolean credentialsRefused;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Socks5CommandResponse response) {
                status = response.status();
            } else if (msg instanceof Socks5PasswordAuthResponse login) {
                credentialsRefused = login.status() != Socks5PasswordAuthStatus.SUCCESS;
            } else if (msg instanceof Socks5InitialResponse greeting) {
                credentialsRefused = greeting.authMethod() == Socks5AuthMethod.UNACCEPTED;
            }
            ctx.fireChannelRead(msg);
        }

        Refusal refusal(Throwable cause) {
            if (status != null) {
                return new Refusal(status, "the agent's proxy answered " + status);
            }
            if (credentialsRefused) {
                return new Refusal("the agent's proxy refused the order's credentials");
            }
            return new Refusal(Socks5CommandStatus.FAILURE, "the agent's proxy failed: " + cause.getMessage());
        }
    }

    /** The proxy handler fires its failure down the pipeline too; it is answered through the future. */
    private static final class Quiet extends ChannelInboundHandlerAdapter {

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
