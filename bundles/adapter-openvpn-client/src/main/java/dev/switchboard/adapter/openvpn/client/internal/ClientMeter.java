package dev.switchboard.adapter.openvpn.client.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.adapter.openvpn.internal.management.Notification;
import dev.switchboard.adapter.openvpn.internal.management.Notification.Bytes;
import dev.switchboard.adapter.openvpn.internal.management.Notification.State;
import dev.switchboard.api.config.LogText;
import dev.switchboard.api.threads.DaemonThreads;
import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.UsageReport;

/**
 * The order's sessions on this node, from the OpenVPN client's state and byte counts: a session from each
 * {@code CONNECTED} to the next {@code RECONNECTING} or exit, with the bytes counted since it connected.
 * Sessions calls run in order on one thread.
 */
final class ClientMeter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientMeter.class);

    private final String callsign;
    private final ClientApi client;
    private final ExecutorService reports;
    /** Guarded by {@code this}. */
    private String connection;
    private String state = "CONNECTING";
    private String vpnAddress = "";
    private long receivedAtStart;
    private long sentAtStart;
    private long received;
    private long sent;

    ClientMeter(String callsign, ClientApi client) {
        this.callsign = callsign;
        this.client = client;
        this.reports = Executors.newSingleThreadExecutor(DaemonThreads.named("openvpn-client-reports-" + callsign));
    }

    /**
     * The state OpenVPN is in when the adapter attaches: a tunnel already up (the adapter was updated) goes on
     * with the session its {@code CONNECTED} time names, its bytes counted from the start of the process.
     */
    synchronized void attachedIn(State current) {
        if (current.name().equals("CONNECTED") && connection == null) {
            receivedAtStart = 0;
            sentAtStart = 0;
            open(current);
        } else {
            state = current.name();
        }
    }

    synchronized void notification(Notification notification) {
        if (notification instanceof State next) {
            state = next.name();
            switch (next.name()) {
                case "CONNECTED" -> {
                    receivedAtStart = received;
                    sentAtStart = sent;
                    open(next);
                }
                case "RECONNECTING", "EXITING" -> close();
                default -> {
                    // the steps of connecting: no session yet
                }
            }
        } else if (notification instanceof Bytes bytes) {
            if (bytes.received() < received || bytes.sent() < sent) {
                // OpenVPN counts anew after a restart of its own
                receivedAtStart = 0;
                sentAtStart = 0;
            }
            received = bytes.received();
            sent = bytes.sent();
            if (connection != null) {
                String current = connection;
                UsageReport totals = totals();
                reports.execute(() -> call("updateSession", () -> client.updateSession(current, totals)));
            }
        }
    }

    private void open(State connected) {
        if (connection != null) {
            close();
        }
        state = connected.name();
        vpnAddress = connected.localAddress();
        String opened = callsign + "/" + connected.time();
        connection = opened;
        LOG.info("OpenVPN client {}: connected, VPN address {}", callsign, LogText.quote(vpnAddress));
        reports.execute(() -> call("startSession", () -> client.startSession(opened)));
    }

    /** The tunnel is down (OpenVPN reconnects, exits or is gone): the session ends with its last counts. */
    synchronized void close() {
        if (connection == null) {
            return;
        }
        String closing = connection;
        UsageReport totals = totals();
        connection = null;
        vpnAddress = "";
        reports.execute(() -> call("stopSession", () -> client.stopSession(closing, totals)));
    }

    synchronized void exited() {
        close();
        state = "EXITED";
    }

    private UsageReport totals() {
        return new UsageReport(Math.max(0, sent - sentAtStart), Math.max(0, received - receivedAtStart));
    }

    private void call(String name, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("OpenVPN client {}: {} failed: {}", callsign, name, LogText.quote(e));
        }
    }

    synchronized JOpenVpnClient.Status status(String agent, String clientKey, String reason) {
        UsageReport totals = connection == null ? new UsageReport(0, 0) : totals();
        return new JOpenVpnClient.Status(state, agent, clientKey, vpnAddress, totals.bytesUp(), totals.bytesDown(),
                reason);
    }

    /** Runs the reports already queued, then stops. */
    void shutdown() {
        reports.shutdown();
        try {
            if (!reports.awaitTermination(10, TimeUnit.SECONDS)) {
                reports.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
