package dev.switchboard.sessions.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** What a service adapter calls, bound to its product (authenticated once). */
@ProviderType
public interface AgentApi {

    String product();

    /** Checks a client's credentials; fails unless the order is active or activating. */
    void authClient(String clientKey, String password);

    /** Stores the product configuration that later access messages carry. */
    void setProductConfig(Map<String, String> config);

    /**
     * Registers the start of a connection; activating becomes active. Idempotent per connection;
     * an open session of this connection that belongs to another order is closed.
     */
    SessionInfo startSession(String clientKey, String connection, String clientAddress);

    /** Records cumulative usage, then applies the billing rules; answers the service status. */
    ServiceStatus updateSession(String clientKey, String connection, UsageReport totals);

    /** Closes the connection's session; suspending becomes suspended, terminating terminated. */
    ServiceStatus stopSession(String clientKey, String connection, UsageReport finalTotals);
}
