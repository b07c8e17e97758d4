package dev.switchboard.sessions.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.threads.DaemonThreads;
import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.StatusChange;

/**
 * Shares status and connection changes between the hosts of one PostgreSQL database with
 * {@code LISTEN}/{@code NOTIFY}, so that a subscriber on any host hears of a change made on another.
 * The state itself is in the database; the events are news of it, so a change that cannot be sent
 * (the database is away) is logged and dropped, never retried into a caller's path. Changes are
 * sent from a thread of their own, several to a notification, on the channel of the schema in use.
 */
final class PostgresEventRelay implements AutoCloseable {

    /** PostgreSQL refuses payloads of 8000 bytes and more. */
    static final int MAX_PAYLOAD_BYTES = 7000;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEventRelay.class);
    private static final int WAIT_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final Database database;
    private final Events events;
    private final ObjectMapper mapper;
    private final String host = UUID.randomUUID().toString();
    private final BlockingQueue<Object> outbox = new LinkedBlockingQueue<>(100_000);
    /** Known once the database has been reached. */
    private volatile String channel;
    private final Thread sender;
    private final Thread listener;
    private volatile boolean running = true;

    PostgresEventRelay(Database database, Events events, ObjectMapper mapper) {
        this.database = database;
        this.events = events;
        this.mapper = mapper;
        sender = DaemonThreads.named("switchboard-sessions-notify").newThread(this::sendLoop);
        listener = DaemonThreads.named("switchboard-sessions-listen").newThread(this::listenLoop);
    }

    /** One channel per schema: hosts that share orders share events, other schemas stay apart. */
    private String channel(Connection c) throws SQLException {
        if (channel == null) {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_schema()")) {
                r.next();
                String name = "switchboard_sessions_" + r.getString(1);
                channel = name.length() > 63 ? name.substring(0, 63) : name;
            }
        }
        return channel;
    }

    void start() {
        events.otherHosts(this::send);
        listener.start();
        sender.start();
    }

    private void send(Object change) {
        if (!outbox.offer(change)) {
            LOG.warn("Too many sessions events waiting to be sent to the other hosts; dropped {}", LogText.quote(change));
        }
    }

    private void sendLoop() {
        List<Object> batch = new ArrayList<>();
        while (running) {
            try {
                Object first = outbox.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outbox.drainTo(batch, 10_000);
                publish(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Cannot send {} sessions events to the other hosts: {}", batch.size(), e.toString());
            }
            batch.clear();
        }
    }

    /** Sends {@code changes} in as few notifications as fit {@link #MAX_PAYLOAD_BYTES}, in one transaction. */
    private void publish(List<Object> changes) throws SQLException {
        String head = "{\"host\":\"" + host + "\",\"changes\":[";
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder(head);
        int bytes = head.length() + 2;
        for (Object change : changes) {
            String item = item(change);
            int itemBytes = item.getBytes(StandardCharsets.UTF_8).length + 1;
            if (head.length() + 2 + itemBytes > MAX_PAYLOAD_BYTES) {
                LOG.warn("A sessions event is too large to send to the other hosts: {}", LogText.quote(change));
                continue;
            }
            if (bytes + itemBytes > MAX_PAYLOAD_BYTES) {
                payloads.add(payload.append("]}").toString());
                payload = new StringBuilder(head);
                bytes = head.length() + 2;
            }
            payload.append(payload.length() > head.length() ? "," : "").append(item);
            bytes += itemBytes;
        }
        if (payload.length() > head.length()) {
            payloads.add(payload.append("]}").toString());
        }
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            c.setAutoCommit(false);
            try {
                for (String one : payloads) {
                    s.setString(1, channel(c));
                    s.setString(2, one);
                    s.execute();
                }
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private String item(Object change) {
        try {
            String kind = change instanceof StatusChange ? "status" : "connection";
            return "{\"" + kind + "\":" + mapper.writeValueAsString(change) + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + change, e);
        }
    }

    private void listenLoop() {
        long backoff = 250;
        while (running) {
            try (Connection c = database.unpooledConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN \"" + channel(c) + "\"");
                PGConnection notifications = c.unwrap(PGConnection.class);
                LOG.info("{} for sessions events from the other hosts of this database on channel {}",
                        backoff > 250 ? "Listening again" : "Listening", channel);
                backoff = 250;
                while (running) {
                    PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            receive(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Not listening for sessions events from the other hosts: {}; retrying in {} ms",
                        e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** Delivers the changes another host made; a malformed payload is logged and skipped. */
    void receive(String payload) {
        try {
            JsonNode message = mapper.readTree(payload);
            if (host.equals(message.path("host").asText())) {
                return;
            }
            for (JsonNode item : message.path("changes")) {
                if (item.has("status")) {
                    events.deliver(mapper.treeToValue(item.get("status"), StatusChange.class));
                } else if (item.has("connection")) {
                    events.deliver(mapper.treeToValue(item.get("connection"), ConnectionChange.class));
                }
            }
        } catch (JsonProcessingException e) {
            LOG.warn("Ignored a malformed sessions event from another host on {}: {}", channel,
                    LogText.quote(e.getOriginalMessage()));
        }
    }

    @Override
    public void close() {
        running = false;
        events.otherHosts(null);
        sender.interrupt();
        try {
            sender.join(2000);
            listener.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
