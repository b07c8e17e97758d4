package dev.switchboard.socks.relay;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;

/**
 * One client connection: the inbound channel from the client, the outbound one to the target once
 * connected, and the bytes relayed each way: up, written to the target; down, written to the client
 * (see {@link Relay}). Both channels share one event loop, so the counters have a single writer; other
 * threads read them. Once both channels are closed no write can complete: the counts are final.
 */
public final class Tunnel {

    private final Channel inbound;
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private volatile Channel outbound;
    private volatile Account account;
    /** The account's cut count when the tunnel joined: a later cut ends the tunnel. */
    private volatile long epoch;
    /** Set once both legs are closed: the counters are final. */
    private volatile boolean finished;

    Tunnel(Channel inbound) {
        this.inbound = inbound;
    }

    public Channel inbound() {
        return inbound;
    }

    public InetSocketAddress remote() {
        return (InetSocketAddress) inbound.remoteAddress();
    }

    Channel outbound() {
        return outbound;
    }

    void outbound(Channel channel) {
        outbound = channel;
    }

    AtomicLong up() {
        return up;
    }

    AtomicLong down() {
        return down;
    }

    public long bytesUp() {
        return up.get();
    }

    public long bytesDown() {
        return down.get();
    }

    Account account() {
        return account;
    }

    void joined(Account joined, long cuts) {
        epoch = cuts;
        account = joined;
    }

    long epoch() {
        return epoch;
    }

    boolean finished() {
        return finished;
    }

    void finish() {
        finished = true;
    }

    /** Cuts the connection: both legs close now, and what is still queued for either is dropped unbilled. */
    void close() {
        inbound.close();
        Channel target = outbound;
        if (target != null) {
            target.close();
        }
    }
}
