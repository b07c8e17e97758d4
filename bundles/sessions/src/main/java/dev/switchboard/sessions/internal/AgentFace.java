package dev.switchboard.sessions.internal;

import static dev.switchboard.sessions.internal.Inputs.bad;
import static dev.switchboard.sessions.internal.Inputs.text;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.UsageReport;
import dev.switchboard.sessions.internal.store.OrderRows.Row;
import dev.switchboard.sessions.internal.store.UsageLedger;
import dev.switchboard.sessions.internal.store.UsageLedger.Known;
import dev.switchboard.sessions.internal.store.UsageLedger.Outcome;

/** The adapter face of one product, whose credential passed: sessions and usage of its orders. */
final class AgentFace implements AgentApi {

    private final SessionsCore core;
    private final String product;

    AgentFace(SessionsCore core, String product) {
        this.core = core;
        this.product = product;
    }

    @Override
    public String product() {
        return product;
    }

    private Row mine(Connection c, String clientKey, boolean lock) throws SQLException {
        Row row = core.orders.byClientKey(c, text(clientKey, "clientKey", true), lock);
        if (!row.order().product().equals(product)) {
            throw new SessionsException(Reason.OTHER_PRODUCT, "the client key belongs to another product");
        }
        return row;
    }

    @Override
    public void authClient(String clientKey, String password) {
        String key = text(clientKey, "clientKey", true);
        Row row = core.credentials.checkPassword(key, password, () -> core.tx.tx((c, after) -> mine(c, key, false)));
        ServiceStatus status = row.order().status();
        if (status != ServiceStatus.ACTIVE && status != ServiceStatus.ACTIVATING) {
            throw new SessionsException(Reason.NOT_ACTIVE, "the service is " + status.wire());
        }
    }

    @Override
    public void setProductConfig(Map<String, String> config) {
        if (config == null) {
            throw bad("config is required");
        }
        Map<String, String> checked = Inputs.config(config);
        core.tx.tx((c, after) -> {
            core.catalog.setConfig(c, product, checked);
            return null;
        });
    }

    @Override
    public SessionInfo startSession(String clientKey, String connection, String clientAddress) {
        String conn = text(connection, "connection", true);
        String address = text(clientAddress, "clientAddress", false);
        return core.tx.onOrder(clientKey, (c, after) -> {
            Order order = mine(c, clientKey, true).order();
            if (order.status() != ServiceStatus.ACTIVE && order.status() != ServiceStatus.ACTIVATING) {
                throw new SessionsException(Reason.NOT_ACTIVE, "the service is " + order.status().wire());
            }
            SessionInfo existing = null;
            for (SessionInfo open : core.ledger.openAgentSessions(c, product, conn)) {
                if (open.order().equals(order.id()) && existing == null) {
                    existing = open;
                } else {
                    core.ledger.close(c, after, open, "stale");
                }
            }
            if (order.status() == ServiceStatus.ACTIVATING) {
                core.transition(c, after, order, ServiceStatus.ACTIVE, "session started");
            }
            if (existing != null) {
                return existing;
            }
            SessionInfo opened = core.ledger.open(c, after, order, UsageLedger.AGENT, conn, address);
            after.add(() -> core.ledger.remember(product, clientKey, conn, new Known(order.id(), opened.id(),
                    opened.started(), opened.started(), 0, 0)));
            return opened;
        });
    }

    @Override
    public ServiceStatus updateSession(String clientKey, String connection, UsageReport totals) {
        String conn = text(connection, "connection", true);
        Inputs.totals(totals);
        return core.tx.serialized(clientKey, () -> {
            Known known = core.ledger.known(product, clientKey, conn);
            ServiceStatus status = known == null ? null : reportQuickly(clientKey, conn, known, totals);
            if (status != null) {
                return status;
            }
            return core.tx.tx((c, after) -> {
                Row row = mine(c, clientKey, true);
                Known session = core.ledger.record(c, row.order(), UsageLedger.AGENT, conn, totals, false, after);
                if (session != null) {
                    after.add(() -> core.ledger.remember(product, clientKey, conn, session));
                }
                return core.bill(c, after, row.order().id(), row.order().status());
            });
        });
    }

    /**
     * The report on a session this host recorded last (the ledger's quick path), or null, with nothing
     * changed, for the full path to decide. A billing rule it makes due is applied right after it.
     */
    private ServiceStatus reportQuickly(String clientKey, String conn, Known known, UsageReport totals) {
        Outcome outcome;
        if (core.dialect.reportsInOneStatement()) {
            outcome = core.tx.autocommitted((c, after) -> core.ledger.report(c, product, known, totals,
                    core.clock.getAsLong()));
        } else {
            outcome = core.tx.tx((c, after) -> {
                Outcome done = core.ledger.report(c, product, known, totals, core.clock.getAsLong());
                if (done == null) {
                    c.rollback();
                }
                return done;
            });
        }
        if (outcome == null) {
            return null;
        }
        core.ledger.remember(product, clientKey, conn, outcome.session());
        return outcome.due() ? core.tx.tx((c, after) -> core.bill(c, after, known.orderId(), outcome.status()))
                : outcome.status();
    }

    @Override
    public ServiceStatus stopSession(String clientKey, String connection, UsageReport finalTotals) {
        String conn = text(connection, "connection", true);
        if (finalTotals != null) {
            Inputs.totals(finalTotals);
        }
        core.ledger.forget(product, clientKey, conn);
        return core.tx.onOrder(clientKey, (c, after) -> {
            Row row = mine(c, clientKey, true);
            core.ledger.record(c, row.order(), UsageLedger.AGENT, conn, finalTotals, true, after);
            ServiceStatus status = core.completeIfIdle(c, after, row.order().id());
            return core.bill(c, after, row.order().id(), status);
        });
    }
}
