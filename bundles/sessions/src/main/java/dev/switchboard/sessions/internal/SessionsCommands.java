package dev.switchboard.sessions.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.shell.GogoCommands;
import dev.switchboard.api.shell.Table;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;

/**
 * Shell commands over the active Sessions instances: {@code switchboard:orders [<product>] [<status>]},
 * {@code switchboard:sessions <order>} and {@code switchboard:usage [<product>] [<status>]}, as
 * tables. Plain methods returning text, so the bundle does not depend on a shell. They are Gogo
 * commands, except in Karaf, where the actions in {@code internal.karaf} present them with
 * completion of order ids, product ids and statuses. With more than one instance the order tables
 * start with the instance's callsign.
 */
@Component(service = SessionsCommands.class, immediate = true)
public class SessionsCommands {

    private static final String NONE_ACTIVE = "error: no Sessions instance is active";

    private final Map<String, Sessions> instances = new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);
    private ServiceRegistration<?> gogo;

    @Activate
    void activate(BundleContext context) {
        gogo = GogoCommands.register(context, this, "orders", "sessions", "usage");
    }

    @Deactivate
    void deactivate() {
        if (gogo != null) {
            gogo.unregister();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSessions(Sessions sessions, Map<String, Object> properties) {
        instances.put(String.valueOf(properties.get(PluginConstants.CALLSIGN)), sessions);
    }

    void removeSessions(Sessions sessions, Map<String, Object> properties) {
        instances.remove(String.valueOf(properties.get(PluginConstants.CALLSIGN)), sessions);
    }

    /** Orders, oldest first; {@code filters} are a product id, a status, both or neither. */
    public String orders(String... filters) {
        return orderTable(filters, List.of("Order", "Product", "Client", "Status", "Deposit", "Paid", "Cost", "Created"),
                order -> List.of(order.id(), order.product(), order.clientKey(), order.status().wire(),
                        String.valueOf(order.deposit()), String.valueOf(order.paymentsReceived()),
                        String.valueOf(order.cost()), time(order.created())));
    }

    /** What each order used and costs so far, filtered as {@link #orders(String...)}. */
    public String usage(String... filters) {
        return orderTable(filters, List.of("Order", "Status", "Bytes up", "Bytes down", "Seconds", "Units", "Cost"),
                order -> List.of(order.id(), order.status().wire(), String.valueOf(order.bytesUp()),
                        String.valueOf(order.bytesDown()), String.valueOf(order.seconds()), String.valueOf(order.units()),
                        String.valueOf(order.cost())));
    }

    /** The sessions (connections) of one order, oldest first. */
    public String sessions(String order) {
        if (instances.isEmpty()) {
            return NONE_ACTIVE;
        }
        try {
            for (Map.Entry<String, Sessions> instance : instances.entrySet()) {
                List<SessionInfo> found = sessionsOf(instance.getValue(), order);
                if (found != null) {
                    List<List<String>> rows = new ArrayList<>();
                    for (SessionInfo session : found) {
                        rows.add(List.of(session.id(), session.side(), session.connection(),
                                session.clientAddress() == null ? "" : session.clientAddress(), time(session.started()),
                                time(session.stopped()), String.valueOf(session.bytesUp()),
                                String.valueOf(session.bytesDown()), String.valueOf(session.seconds())));
                    }
                    return Table.format(List.of("Session", "Side", "Connection", "Client address", "Started", "Stopped",
                            "Bytes up", "Bytes down", "Seconds"), rows);
                }
            }
            return "error: no order " + order;
        } catch (SessionsException e) {
            return error(e);
        }
    }

    /** The sessions of {@code order}, or null when this instance does not know it. */
    private static List<SessionInfo> sessionsOf(Sessions sessions, String order) {
        try {
            return sessions.sessions(order);
        } catch (SessionsException e) {
            if (e.reason() == SessionsException.Reason.UNKNOWN_ORDER) {
                return null;
            }
            throw e;
        }
    }

    /** Every order's id, oldest first: what the Karaf actions complete. */
    public List<String> orderIds() {
        return allOrders().stream().map(Order::id).distinct().toList();
    }

    /** The ids of the products that have orders, sorted. */
    public List<String> productIds() {
        return allOrders().stream().map(Order::product).distinct().sorted().toList();
    }

    private List<Order> allOrders() {
        List<Order> orders = new ArrayList<>();
        for (Sessions sessions : instances.values()) {
            orders.addAll(sessions.orders(null, null));
        }
        return orders;
    }

    private String orderTable(String[] filters, List<String> headers, Function<Order, List<String>> columns) {
        if (instances.isEmpty()) {
            return NONE_ACTIVE;
        }
        String product = null;
        ServiceStatus status = null;
        for (String filter : filters) {
            ServiceStatus named = status(filter);
            if (named != null && status == null) {
                status = named;
            } else if (named == null && product == null) {
                product = filter;
            } else {
                return "error: give at most one product and one status, not " + String.join(" ", Arrays.asList(filters));
            }
        }
        boolean several = instances.size() > 1;
        List<List<String>> rows = new ArrayList<>();
        try {
            for (Map.Entry<String, Sessions> instance : instances.entrySet()) {
                for (Order order : instance.getValue().orders(product, status)) {
                    List<String> row = new ArrayList<>();
                    if (several) {
                        row.add(instance.getKey());
                    }
                    row.addAll(columns.apply(order));
                    rows.add(row);
                }
            }
        } catch (SessionsException e) {
            return error(e);
        }
        List<String> header = new ArrayList<>(headers);
        if (several) {
            header.add(0, "Callsign");
        }
        return Table.format(header, rows);
    }

    /** The status {@code text} names (as {@code active} or {@code ACTIVE}), or null. */
    static ServiceStatus status(String text) {
        for (ServiceStatus status : ServiceStatus.values()) {
            if (status.wire().equalsIgnoreCase(text)) {
                return status;
            }
        }
        return null;
    }

    /** Milliseconds since the epoch as UTC to the second; 0 (never) as "-". */
    static String time(long millis) {
        return millis == 0 ? "-" : Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The reason and detail; a database error is only that (the host's log says more). */
    private static String error(SessionsException e) {
        return "error: " + (e.reason() == SessionsException.Reason.DATABASE_ERROR ? e.detail()
                : e.reason() + ": " + e.detail());
    }
}
