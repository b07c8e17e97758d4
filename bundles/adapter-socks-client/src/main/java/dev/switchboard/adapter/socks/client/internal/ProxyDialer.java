package dev.switchboard.adapter.socks.client.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.switchboard.socks.relay.Dialer;
import dev.switchboard.socks.relay.Refusal;
import dev.switchboard.socks.relay.SocksServer;
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
 * to the local client. The agent's host is resolved for every connection, so a name that does not
 * resolve yet (or no longer) fails only the connections meanwhile. When the agent cannot be reached,
 * the connection is tried once more where the order's access message names it now, if that is elsewhere.
 */
final class ProxyDialer implements Dialer {

    private static final String PROXY = "agent-proxy";
    private static final String REPLIES = "agent-replies";
    private static final String QUIET = "agent-quiet";

    private final AgentLocator agent;
    private final String clientKey;
    private final String password;
    private final int connectTimeoutMillis;
    private final Executor blocking;

    /** @param blocking where the agent's host is resolved (the JDK resolver blocks) */
    ProxyDialer(AgentLocator agent, String clientKey, String password, int connectTimeoutMillis, Executor blocking) {
        this.agent = agent;
        this.clientKey = clientKey;
        this.password = password;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.blocking = blocking;
    }

    @Override
    public Future<Channel> dial(Channel inbound, Socks5CommandRequest request) {
        Promise<Channel> dialed = inbound.eventLoop().newPromise();
        dial(inbound, request, agent.current(), true, dialed);
        return dialed;
    }

    /**
     * Through the agent's proxy at {@code through}, its host resolved on the blocking pool; if it does not
     * resolve or cannot be reached there and {@code mayFollow}, once more.
     */
    private void dial(Channel inbound, Socks5CommandRequest request, AgentEndpoint through, boolean mayFollow,
            Promise<Channel> dialed) {
        try {
            blocking.execute(() -> {
                InetSocketAddress address = new InetSocketAddress(through.host(), through.port());
                try {
                    inbound.eventLoop().execute(() -> {
                        if (address.isUnresolved()) {
                            notReached(inbound, request, through, "its host " + through.host() + " does not resolve",
                                    mayFollow, dialed);
                        } else {
                            connect(inbound, request, through, address, mayFollow, dialed);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    stopping(dialed);
                }
            });
        } catch (RejectedExecutionException e) {
            stopping(dialed);
        }
    }

    private void connect(Channel inbound, Socks5CommandRequest request, AgentEndpoint through,
            InetSocketAddress address, boolean mayFollow, Promise<Channel> dialed) {
        AgentReplies replies = new AgentReplies();
        SocksServer.outbound(inbound, connectTimeoutMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        Socks5ProxyHandler proxy = new Socks5ProxyHandler(address, clientKey, password);
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
                    // only reaching the agent failed here; its handshake and replies are answered above
                    if (!connected.isSuccess()) {
                        notReached(inbound, request, through, connected.cause().getMessage(), mayFollow, dialed);
                    }
                });
    }

    private void notReached(Channel inbound, Socks5CommandRequest request, AgentEndpoint through, String why,
            boolean mayFollow, Promise<Channel> dialed) {
        if (mayFollow) {
            follow(inbound, request, through, why, dialed);
        } else {
            unreachable(through, why, dialed);
        }
    }

    /**
     * Where the agent is now, once known: dialed there on the event loop unless it is where it failed, or
     * the local client gave up meanwhile (its handshake deadline may pass during a connect timeout).
     */
    private void follow(Channel inbound, Socks5CommandRequest request, AgentEndpoint failed, String why,
            Promise<Channel> dialed) {
        agent.moved(failed, why).thenAccept(now -> {
            try {
                inbound.eventLoop().execute(() -> {
                    if (now.equals(failed) || !inbound.isActive()) {
                        unreachable(failed, why, dialed);
                    } else {
                        dial(inbound, request, now, false, dialed);
                    }
                });
            } catch (RejectedExecutionException e) {
                stopping(dialed);
            }
        });
    }

    private static void stopping(Promise<Channel> dialed) {
        dialed.tryFailure(new Refusal(Socks5CommandStatus.FAILURE, "the adapter is stopping"));
    }

    private static void unreachable(AgentEndpoint agent, String why, Promise<Channel> dialed) {
        dialed.tryFailure(new Refusal(Socks5CommandStatus.FAILURE, "the agent's proxy at " + agent
                + " is unreachable: " + why));
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
