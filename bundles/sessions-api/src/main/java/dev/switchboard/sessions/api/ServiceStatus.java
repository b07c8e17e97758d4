package dev.switchboard.sessions.api;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An order's service status. The {@code -ing} states are requests to the adapter, which completes
 * them: {@code startSession} turns {@link #ACTIVATING} into {@link #ACTIVE}, {@code stopSession}
 * turns {@link #SUSPENDING} into {@link #SUSPENDED} and {@link #TERMINATING} into {@link #TERMINATED}.
 */
public enum ServiceStatus {
    PENDING, ACTIVATING, ACTIVE, SUSPENDING, SUSPENDED, TERMINATING, TERMINATED;

    /** Whether the transition {@code this -> to} is allowed. */
    public boolean canBecome(ServiceStatus to) {
        return switch (this) {
            case PENDING -> to == ACTIVATING || to == TERMINATING;
            case ACTIVATING -> to == ACTIVE;
            case ACTIVE -> to == SUSPENDING || to == TERMINATING;
            case SUSPENDING -> to == SUSPENDED;
            case SUSPENDED -> to == ACTIVATING || to == TERMINATING;
            case TERMINATING -> to == TERMINATED;
            case TERMINATED -> false;
        };
    }

    /** The name on the wire and in the database, e.g. {@code active}. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ServiceStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
