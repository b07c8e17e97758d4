package dev.switchboard.sessions.internal.store;

import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.StatusChange;

/** Where the store announces the changes it made, once their transaction has committed. */
public interface Changes {

    void status(StatusChange change);

    void connection(ConnectionChange change);
}
