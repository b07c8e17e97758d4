package dev.switchboard.sessions.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** What a client adapter calls, bound to one order by its client key and password. */
@ProviderType
public interface ClientApi {

    String clientKey();

    /** The access message: credentials, service endpoint and the product configuration. */
    Map<String, Object> getAccess();

    SessionInfo startSession(String connection);

    ServiceStatus updateSession(String connection, UsageReport totals);

    ServiceStatus stopSession(String connection, UsageReport finalTotals);
}
