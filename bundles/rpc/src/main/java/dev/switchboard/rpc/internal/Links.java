package dev.switchboard.rpc.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;

import dev.switchboard.rpc.metrics.RpcLinks;

/** The open WebSocket connections, as the transport opens and closes them. */
@Component(service = { RpcLinks.class, Links.class })
public class Links implements RpcLinks {

    /** A connection that received a message within this time counts as active. */
    static final Duration ACTIVE = Duration.ofMinutes(1);

    /** What a connection tells of itself while it is open. */
    interface Open {
        String remote();

        String callsign();

        /** {@link System#nanoTime()} of the last message received, or of the opening. */
        long lastMessageNanos();
    }

    private final AtomicLong accepted = new AtomicLong();
    private final Map<Long, Open> open = new ConcurrentHashMap<>();
    private volatile int callThreads = TransportSettings.DEFAULT_WORKER_THREADS;
    private volatile long callTimeoutMillis = TransportSettings.DEFAULT_CALL_TIMEOUT_MILLIS;

    /** @return the connection's id, to close it with */
    long opened(Open connection) {
        long id = accepted.incrementAndGet();
        open.put(id, connection);
        return id;
    }

    void closed(long id) {
        open.remove(id);
    }

    /** The settings in force, each time the transport takes its configuration. */
    void settings(TransportSettings settings) {
        callThreads = settings.workerThreads();
        callTimeoutMillis = settings.callTimeoutMillis();
    }

    @Override
    public List<Link> links() {
        long now = System.nanoTime();
        return open.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> new Link(entry.getKey(), entry.getValue().remote(),
                        now - entry.getValue().lastMessageNanos() < ACTIVE.toNanos(), entry.getValue().callsign()))
                .toList();
    }

    @Override
    public long accepted() {
        return accepted.get();
    }

    @Override
    public int callThreads() {
        return callThreads;
    }

    @Override
    public long callTimeoutMillis() {
        return callTimeoutMillis;
    }
}
