package dev.switchboard.socks.relay;

import io.netty.channel.Channel;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.util.concurrent.Future;

/** Opens the outbound leg of a CONNECT: straight to the target, or through another SOCKS5 proxy. */
public interface Dialer {

    /**
     * Called on the inbound channel's event loop. The future completes on that loop with the connected
     * outbound channel (auto-read off, on the same event loop, no handlers of the dialer left that
     * touch the data), or fails; a {@link Refusal} failure carries the reply status for the client.
     */
    Future<Channel> dial(Channel inbound, Socks5CommandRequest request);
}
