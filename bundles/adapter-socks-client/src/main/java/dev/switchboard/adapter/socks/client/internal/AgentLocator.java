package dev.switchboard.adapter.socks.client.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;

/**
 * Where the agent's proxy is: read from the order's access message at activation, and read again when
 * the agent cannot be reached there, so that a re-imported message (the agent moved) is followed.
 */
final class AgentLocator {

    private static final Logger LOG = LoggerFactory.getLogger(AgentLocator.class);

    private final String name;
    private final Supplier<Map<String, Object>> access;
    private final Executor blocking;
    private volatile AgentEndpoint current;
    /** The re-read in flight, shared by every connection that fails meanwhile; guarded by {@code this}. */
    private CompletableFuture<AgentEndpoint> reading;

    /**
     * @param access   the order's access message (a Sessions call: it blocks)
     * @param first    where the agent is at activation
     * @param blocking where {@code access} is called
     */
    AgentLocator(String name, Supplier<Map<String, Object>> access, AgentEndpoint first, Executor blocking) {
        this.name = name;
        this.access = access;
        this.current = first;
        this.blocking = blocking;
    }

    AgentEndpoint current() {
        return current;
    }

    /**
     * After the agent's proxy could not be reached at {@code failed} (for the reason {@code why}): where it
     * is now, {@code failed} itself when the access message still names it or cannot be read. Never
     * completes exceptionally.
     */
    CompletableFuture<AgentEndpoint> moved(AgentEndpoint failed, String why) {
        CompletableFuture<AgentEndpoint> read;
        synchronized (this) {
            if (!current.equals(failed)) {
                // another connection's re-read has moved it already
                return CompletableFuture.completedFuture(current);
            }
            if (reading != null) {
                return reading;
            }
            read = new CompletableFuture<>();
            reading = read;
        }
        try {
            blocking.execute(() -> settle(read, reread(failed, why)));
        } catch (RejectedExecutionException e) {
            // the adapter is stopping
            settle(read, failed);
        }
        return read;
    }

    private AgentEndpoint reread(AgentEndpoint failed, String why) {
        try {
            AgentEndpoint now = AgentEndpoint.of(access.get());
            if (now.equals(failed)) {
                return failed;
            }
            LOG.info("SOCKS5 client {}: switching from the agent's proxy at {} to {}: it is unreachable there ({})"
                    + " and the order's access message names the new one", name, LogText.quote(failed), LogText.quote(now),
                    LogText.quote(why));
            return now;
        } catch (RuntimeException e) {
            LOG.warn("SOCKS5 client {}: the agent's proxy at {} is unreachable ({}); keeping it, reading the order's"
                    + " access message again failed: {}", name, LogText.quote(failed), LogText.quote(why), LogText.quote(e));
            return failed;
        }
    }

    private void settle(CompletableFuture<AgentEndpoint> read, AgentEndpoint now) {
        // cleared before completing: a failure at the answered location starts a read of its own
        synchronized (this) {
            current = now;
            reading = null;
        }
        read.complete(now);
    }
}
