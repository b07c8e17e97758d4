package dev.switchboard.api.plugin;

import org.osgi.annotation.versioning.ProviderType;

/** Where a plugin sends its events; the transport pushes them to the clients registered for them. */
@ProviderType
public interface EventSink {

    /** A sink that drops every event: what a plugin holds while no transport answers it. */
    EventSink DISCARD = (event, index, params) -> {
    };

    /**
     * Sends {@code event} to every client registered for it.
     *
     * @param event  the event name, for example {@code statechange}
     * @param index  the index the notification is addressed with ({@code <id>.<event>@<index>}),
     *               or {@code null}
     * @param params the notification's params, serialized with Jackson
     */
    void emit(String event, String index, Object params);

    default void emit(String event, Object params) {
        emit(event, null, params);
    }
}
