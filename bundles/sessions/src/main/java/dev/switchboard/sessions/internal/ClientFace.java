package dev.switchboard.sessions.internal;

import static dev.switchboard.sessions.internal.Inputs.text;

import java.util.Map;

import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.UsageReport;
import dev.switchboard.sessions.internal.store.UsageLedger;

/**
 * The client adapter's face of one order, whose password passed: its access message and the client
 * side's sessions, which record usage without billing it (the agent bills).
 */
final class ClientFace implements ClientApi {

    private final SessionsCore core;
    private final String clientKey;
    private final String password;

    ClientFace(SessionsCore core, String clientKey, String password) {
        this.core = core;
        this.clientKey = clientKey;
        this.password = password;
    }

    @Override
    public String clientKey() {
        return clientKey;
    }

    @Override
    public Map<String, Object> getAccess() {
        return core.tx.tx((c, after) -> {
            Order order = core.orders.byClientKey(c, clientKey, false).order();
            String imported = core.orders.importedMessage(c, order.id());
            return imported != null ? core.readMessage(imported)
                    : core.accessMessage(c, core.catalog.product(c, order.product()), clientKey, password);
        });
    }

    @Override
    public SessionInfo startSession(String connection) {
        String conn = text(connection, "connection", true);
        return core.tx.onOrder(clientKey, (c, after) -> {
            Order order = core.orders.byClientKey(c, clientKey, true).order();
            if (order.status() == ServiceStatus.TERMINATED) {
                throw new SessionsException(Reason.NOT_ACTIVE, "the service is terminated");
            }
            SessionInfo open = core.ledger.openClientSession(c, order.id(), conn);
            return open != null ? open : core.ledger.open(c, after, order, UsageLedger.CLIENT, conn, null);
        });
    }

    @Override
    public ServiceStatus updateSession(String connection, UsageReport totals) {
        String conn = text(connection, "connection", true);
        Inputs.totals(totals);
        return record(conn, totals, false);
    }

    @Override
    public ServiceStatus stopSession(String connection, UsageReport finalTotals) {
        String conn = text(connection, "connection", true);
        if (finalTotals != null) {
            Inputs.totals(finalTotals);
        }
        return record(conn, finalTotals, true);
    }

    private ServiceStatus record(String conn, UsageReport totals, boolean stop) {
        return core.tx.onOrder(clientKey, (c, after) -> {
            Order order = core.orders.byClientKey(c, clientKey, true).order();
            core.ledger.record(c, order, UsageLedger.CLIENT, conn, totals, stop, after);
            return order.status();
        });
    }
}
