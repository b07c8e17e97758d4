package dev.switchboard.sessions.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: register as an OSGi service to receive the events in-process. */
@ConsumerType
public interface SessionsListener {

    default void statusChanged(StatusChange change) {
    }

    default void connectionChanged(ConnectionChange change) {
    }
}
