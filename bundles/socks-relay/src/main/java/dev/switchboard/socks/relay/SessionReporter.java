package dev.switchboard.socks.relay;

import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.UsageReport;

/**
 * The Service API calls that record one client's sessions: the agent side's {@code AgentApi} bound to a
 * client key, or the client side's {@code ClientApi}. Every call may block and runs off the event loop.
 */
public interface SessionReporter {

    void start(String connection, String clientAddress);

    ServiceStatus update(String connection, UsageReport totals);

    ServiceStatus stop(String connection, UsageReport totals);
}
