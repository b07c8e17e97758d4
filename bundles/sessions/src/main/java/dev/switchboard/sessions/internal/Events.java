package dev.switchboard.sessions.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.plugin.EventSink;
import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.SessionsListener;
import dev.switchboard.sessions.api.StatusChange;
import dev.switchboard.sessions.internal.store.Changes;

/**
 * Delivers {@code statuschange} and {@code connchange} to in-process listeners and the plugin's sink,
 * and hands the changes made here to the other hosts of the same database, if any.
 */
final class Events implements Changes {

    static final String STATUS_CHANGE = "statuschange";
    static final String CONNECTION_CHANGE = "connchange";
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final List<SessionsListener> listeners = new CopyOnWriteArrayList<>();
    private volatile EventSink sink = EventSink.DISCARD;
    private volatile Consumer<Object> otherHosts = change -> { };

    void add(SessionsListener listener) {
        listeners.add(listener);
    }

    void remove(SessionsListener listener) {
        listeners.remove(listener);
    }

    void sink(EventSink sink) {
        this.sink = sink == null ? EventSink.DISCARD : sink;
    }

    /** Where the changes made on this host go for the other hosts; {@code null} for none. */
    void otherHosts(Consumer<Object> otherHosts) {
        this.otherHosts = otherHosts == null ? change -> { } : otherHosts;
    }

    @Override
    public void status(StatusChange change) {
        deliver(change);
        otherHosts.accept(change);
    }

    @Override
    public void connection(ConnectionChange change) {
        deliver(change);
        otherHosts.accept(change);
    }

    /** Delivers to this host only: how a change made on another host arrives. */
    void deliver(StatusChange change) {
        for (SessionsListener listener : listeners) {
            try {
                listener.statusChanged(change);
            } catch (RuntimeException e) {
                LOG.warn("A sessions listener failed on statuschange: {}", e.toString());
            }
        }
        emit(STATUS_CHANGE, change);
    }

    /** Delivers to this host only: how a change made on another host arrives. */
    void deliver(ConnectionChange change) {
        for (SessionsListener listener : listeners) {
            try {
                listener.connectionChanged(change);
            } catch (RuntimeException e) {
                LOG.warn("A sessions listener failed on connchange: {}", e.toString());
            }
        }
        emit(CONNECTION_CHANGE, change);
    }

    private void emit(String event, Object params) {
        try {
            sink.emit(event, params);
        } catch (RuntimeException e) {
            LOG.warn("Cannot emit {}: {}", event, e.toString());
        }
    }
}
