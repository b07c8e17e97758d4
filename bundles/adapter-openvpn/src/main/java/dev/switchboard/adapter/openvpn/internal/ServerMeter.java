package dev.switchboard.adapter.openvpn.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.adapter.openvpn.internal.management.ClientList;
import dev.switchboard.adapter.openvpn.internal.management.ManagementLink;
import dev.switchboard.adapter.openvpn.internal.management.Notification;
import dev.switchboard.adapter.openvpn.internal.management.Notification.ClientBytes;
import dev.switchboard.adapter.openvpn.internal.management.Notification.ClientEvent;
import dev.switchboard.api.config.LogText;
import dev.switchboard.api.threads.DaemonThreads;
import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.UsageReport;

/**
 * Sells the OpenVPN server's tunnels: answers its client authentications with {@code authClient}, turns
 * its client events and byte counts into sessions and cumulative usage reports, and cuts a client whose
 * order is no longer active. Session calls run in order on one thread; the slow password checks on others,
 * so a connecting client never holds up another's reports.
 */
final class ServerMeter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerMeter.class);

    private final String callsign;
    private final AgentApi agent;
    private final OpenSessions openSessions;
    private final Map<Long, Tunnel> tunnels = new ConcurrentHashMap<>();
    private final ExecutorService reports;
    private final ExecutorService auth;
    private volatile ManagementLink link;

    /**
     * @param openSessions this adapter's sessions the Sessions service has open: those to stop when their client
     *                     left while no adapter was attached
     */
    ServerMeter(String callsign, AgentApi agent, OpenSessions openSessions) {
        this.callsign = callsign;
        this.agent = agent;
        this.openSessions = openSessions;
        this.reports = Executors.newSingleThreadExecutor(DaemonThreads.named("openvpn-reports-" + callsign));
        this.auth = Executors.newFixedThreadPool(2, DaemonThreads.named("openvpn-auth-" + callsign));
    }

    /** The Sessions service's open sessions of this adapter. */
    interface OpenSessions {

        /** Each open session whose connection starts with {@code prefix}, with its client key and stored totals. */
        List<Tunnel> open(String prefix);
    }


    /** A new management connection: byte counts every {@code reportSeconds}, then the clients reconciled. */
    void attached(ManagementLink newLink, long reportSeconds) {
        link = newLink;
        newLink.command("bytecount " + reportSeconds);
        newLink.multiLine("status 3").whenComplete((reply, failure) -> {
            if (failure != null || !reply.success()) {
                LOG.warn("OpenVPN {}: status 3 failed, clients not reconciled: {}", callsign,
                        LogText.quote(failure != null ? failure.getMessage() : reply.text()));
                return;
            }
            try {
                List<ClientList.Row> rows = ClientList.parse(reply.lines());
                reports.execute(() -> reconcile(rows));
            } catch (IllegalArgumentException e) {
                LOG.warn("OpenVPN {}: its client list is unreadable, clients not reconciled: {}", callsign,
                        LogText.quote(e.getMessage()));
            }
        });
    }

    void detached(ManagementLink oldLink) {
        if (link == oldLink) {
            link = null;
        }
    }

    boolean isAttached() {
        ManagementLink current = link;
        return current != null && current.isOpen();
    }

    void notification(Notification notification) {
        if (notification instanceof ClientEvent event) {
            switch (event.kind()) {
                case CONNECT, REAUTH -> auth.execute(() -> authorize(event));
                case ESTABLISHED -> established(event);
                case DISCONNECT -> disconnected(event);
                default -> throw new IllegalStateException("every kind is handled");
            }
        } else if (notification instanceof ClientBytes bytes) {
            Tunnel tunnel = tunnels.computeIfPresent(bytes.cid(),
                    (cid, t) -> t.with(new UsageReport(bytes.received(), bytes.sent())));
            if (tunnel != null) {
                reports.execute(() -> update(tunnel));
            }
        }
    }

    private void authorize(ClientEvent event) {
        String clientKey = event.env("username");
        String password = event.env("password");
        String refusal;
        if (clientKey == null || clientKey.isEmpty()) {
            refusal = "no client key";
        } else {
            try {
                agent.authClient(clientKey, password == null ? "" : password);
                send("client-auth-nt " + event.cid() + " " + event.kid());
                return;
            } catch (SessionsException e) {
                refusal = e.reason() + ": " + e.detail();
            } catch (RuntimeException e) {
                refusal = "the adapter could not check the password";
                LOG.error("OpenVPN {}: authClient of {} failed: {}", callsign, LogText.quote(clientKey), LogText.quote(e));
            }
        }
        LOG.info("OpenVPN {}: client {} from {} refused: {}", callsign, LogText.quote(clientKey),
                LogText.quote(event.env("untrusted_ip")), LogText.quote(refusal));
        send("client-deny " + event.cid() + " " + event.kid() + " " + quote(refusal) + " " + quote(refusal));
    }

    private void established(ClientEvent event) {
        long since = number(event.env("time_unix"));
        String key = event.env("username");
        Tunnel tunnel = new Tunnel(event.cid(), key, Tunnel.connection(callsign, since, event.cid()),
                event.env("trusted_ip") + ":" + event.env("trusted_port"), event.env("ifconfig_pool_remote_ip"), since,
                new UsageReport(0, 0));
        tunnels.put(tunnel.cid(), tunnel);
        reports.execute(() -> start(tunnel));
    }

    private void disconnected(ClientEvent event) {
        Tunnel tunnel = tunnels.remove(event.cid());
        if (tunnel == null) {
            return;
        }
        // the final counts; OpenVPN counts both ways from the server, as the byte count notifications do
        long received = Math.max(number(event.env("bytes_received")), tunnel.totals().bytesUp());
        long sent = Math.max(number(event.env("bytes_sent")), tunnel.totals().bytesDown());
        Tunnel last = tunnel.with(new UsageReport(received, sent));
        reports.execute(() -> stop(last));
    }

    private void reconcile(List<ClientList.Row> rows) {
        Set<Long> present = rows.stream().map(ClientList.Row::cid).collect(Collectors.toSet());
        for (ClientList.Row row : rows) {
            Tunnel known = tunnels.get(row.cid());
            Tunnel tunnel = new Tunnel(row.cid(), row.username(), Tunnel.connection(callsign, row.since(), row.cid()),
                    row.realAddress(), row.vpnAddress(), row.since(), new UsageReport(row.received(), row.sent()));
            tunnels.put(row.cid(), tunnel);
            if (known == null || !known.connection().equals(tunnel.connection())) {
                start(tunnel);
            }
            update(tunnel);
        }
        tunnels.values().removeIf(t -> !present.contains(t.cid()));
        Set<String> connected = tunnels.values().stream().map(Tunnel::connection).collect(Collectors.toSet());
        for (Tunnel gone : openSessions.open(callsign + "/")) {
            if (!connected.contains(gone.connection())) {
                LOG.info("OpenVPN {}: client {} left while the adapter was away; its session {} is stopped", callsign,
                        LogText.quote(gone.clientKey()), LogText.quote(gone.connection()));
                stop(gone);
            }
        }
        LOG.info("OpenVPN {}: attached, {} client(s) connected", callsign, rows.size());
    }

    private void start(Tunnel tunnel) {
        try {
            agent.startSession(tunnel.clientKey(), tunnel.connection(), tunnel.realAddress());
        } catch (RuntimeException e) {
            LOG.warn("OpenVPN {}: startSession of {} failed, the client is cut: {}", callsign,
                    LogText.quote(tunnel.clientKey()), LogText.quote(e));
            kill(tunnel.cid());
        }
    }

    private void update(Tunnel tunnel) {
        try {
            ServiceStatus status = agent.updateSession(tunnel.clientKey(), tunnel.connection(), tunnel.totals());
            if (status != ServiceStatus.ACTIVE) {
                LOG.info("OpenVPN {}: client {} cut: its service is {}", callsign, LogText.quote(tunnel.clientKey()),
                        status.wire());
                kill(tunnel.cid());
            }
        } catch (SessionsException e) {
            if (e.reason() == SessionsException.Reason.DATABASE_UNAVAILABLE) {
                // cumulative: the next report carries these bytes
                LOG.warn("OpenVPN {}: usage of {} not reported yet: {}", callsign, LogText.quote(tunnel.clientKey()),
                        LogText.quote(e.detail()));
            } else {
                LOG.info("OpenVPN {}: client {} cut: {} ({})", callsign, LogText.quote(tunnel.clientKey()), e.reason(),
                        LogText.quote(e.detail()));
                kill(tunnel.cid());
            }
        } catch (RuntimeException e) {
            LOG.warn("OpenVPN {}: usage of {} not reported yet: {}", callsign, LogText.quote(tunnel.clientKey()),
                    LogText.quote(e));
        }
    }

    private void stop(Tunnel tunnel) {
        try {
            agent.stopSession(tunnel.clientKey(), tunnel.connection(), tunnel.totals());
        } catch (RuntimeException e) {
            LOG.warn("OpenVPN {}: stopSession of {} failed: {}", callsign, LogText.quote(tunnel.clientKey()),
                    LogText.quote(e));
        }
    }

    /** Cuts every tunnel of {@code clientKey}: its order is no longer active. */
    void cut(String clientKey, String why) {
        tunnels.values().stream().filter(t -> t.clientKey().equals(clientKey)).forEach(t -> {
            LOG.info("OpenVPN {}: client {} cut: {}", callsign, LogText.quote(clientKey), LogText.quote(why));
            kill(t.cid());
        });
    }

    /** Cuts the tunnel of a session the Sessions service stopped. */
    void cutConnection(String connection, String why) {
        tunnels.values().stream().filter(t -> t.connection().equals(connection)).forEach(t -> {
            LOG.info("OpenVPN {}: client {} cut: {}", callsign, LogText.quote(t.clientKey()), LogText.quote(why));
            kill(t.cid());
        });
    }

    private void kill(long cid) {
        send("client-kill " + cid);
    }

    private void send(String command) {
        ManagementLink current = link;
        if (current == null) {
            LOG.warn("OpenVPN {}: not attached, {} not sent", callsign, command.split(" ")[0]);
            return;
        }
        current.command(command).thenAccept(reply -> {
            if (!reply.success()) {
                LOG.warn("OpenVPN {}: {} answered {}", callsign, command.split(" ")[0], LogText.quote(reply.text()));
            }
        });
    }

    List<JOpenVpn.Client> clients() {
        List<JOpenVpn.Client> clients = new ArrayList<>();
        tunnels.values().stream().sorted(Comparator.comparingLong(Tunnel::cid)).forEach(t -> clients.add(
                new JOpenVpn.Client(t.clientKey(), t.realAddress(), t.vpnAddress(), t.totals().bytesUp(),
                        t.totals().bytesDown(), t.since())));
        return clients;
    }

    /** OpenVPN stopped for good: every session still open is stopped with its last totals. */
    void stopAll() {
        List<Tunnel> left = new ArrayList<>(tunnels.values());
        tunnels.clear();
        left.forEach(t -> reports.execute(() -> stop(t)));
    }

    /** Runs the reports already queued, then stops. */
    void close() {
        auth.shutdownNow();
        reports.shutdown();
        try {
            if (!reports.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("OpenVPN {}: usage reports still running after 10 s are dropped", callsign);
                reports.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A management command argument in double quotes, escaped as OpenVPN's lexer reads it. */
    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace('\n', ' ').replace('\r', ' ') + '"';
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
