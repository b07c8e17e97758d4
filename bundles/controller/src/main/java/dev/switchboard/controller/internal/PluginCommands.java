package dev.switchboard.controller.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.shell.GogoCommands;
import dev.switchboard.api.shell.Table;

/**
 * Shell commands {@code switchboard:plugins}, {@code switchboard:activate <callsign>},
 * {@code switchboard:deactivate <callsign>}, {@code switchboard:config <callsign>} and
 * {@code switchboard:config <callsign> <key> <value>}: plain methods returning text, so the bundle
 * does not depend on a shell. They are Gogo commands, except in Karaf, where the actions in
 * {@code internal.karaf} present them with callsign completion.
 */
@Component(service = PluginCommands.class, immediate = true)
public class PluginCommands {

    private final PluginStates states;
    private final ServiceRegistration<?> gogo;

    @Activate
    public PluginCommands(@Reference PluginStates states, BundleContext context) {
        this.states = states;
        this.gogo = GogoCommands.register(context, this, "plugins", "activate", "deactivate", "config");
    }

    @Deactivate
    void deactivate() {
        if (gogo != null) {
            gogo.unregister();
        }
    }

    /** Every configured plugin: callsign, state, startmode and class, as a table. */
    public String plugins() {
        List<List<String>> rows = new ArrayList<>();
        for (JController.PluginStatus status : states.status(null)) {
            String state = status.state();
            if (!PluginStatusReader.ACTIVATED.equals(state) && status.reason() != null) {
                state += " (" + status.reason() + ")";
            }
            rows.add(List.of(status.callsign(), state, status.startmode(), String.valueOf(status.classname())));
        }
        rows.sort((a, b) -> a.get(0).compareToIgnoreCase(b.get(0)));
        return Table.format(List.of("Callsign", "State", "Startmode", "Classname"), rows);
    }

    /** Every configured callsign, sorted: what the Karaf actions complete. */
    public List<String> callsigns() {
        return states.status(null).stream().map(JController.PluginStatus::callsign)
                .sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }

    public String activate(String callsign) {
        try {
            refuseController(callsign);
            states.activate(callsign);
            return callsign + " activated";
        } catch (JsonRpcException e) {
            return error(e);
        }
    }

    public String deactivate(String callsign) {
        try {
            refuseController(callsign);
            states.deactivate(callsign);
            return callsign + " deactivated";
        } catch (JsonRpcException e) {
            return error(e);
        }
    }

    /** The plugin's own configuration, one {@code key = value} a line in key order. */
    public String config(String callsign) {
        try {
            Map<String, Object> own = ConfigurationValues.ownProperties(states.requireConfigured(callsign).getProperties());
            List<List<String>> rows = new ArrayList<>();
            own.forEach((key, value) -> rows.add(List.of(key, String.valueOf(value))));
            rows.sort((a, b) -> a.get(0).compareTo(b.get(0)));
            return rows.isEmpty() ? callsign + " has no configuration of its own" : Table.format(List.of("Key", "Value"), rows);
        } catch (JsonRpcException e) {
            return error(e);
        }
    }

    /**
     * Sets one key of the plugin's own configuration; the plugin applies it live. {@code true} and
     * {@code false} are stored as booleans, whole numbers as longs, the rest as text, as an
     * {@code etc/} file would give them.
     */
    public String config(String callsign, String key, String value) throws IOException {
        try {
            if (ConfigurationValues.isReserved(key)) {
                return "error: " + key + " is not part of a plugin's own configuration";
            }
            Configuration configuration = states.requireConfigured(callsign);
            Dictionary<String, Object> current = configuration.getProperties();
            Dictionary<String, Object> next = new Hashtable<>();
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                next.put(k, current.get(k));
            }
            next.put(key, typed(value));
            configuration.update(next);
            return callsign + ": " + key + " = " + (ConfigurationValues.isSecret(key) ? ConfigurationValues.MASK : value);
        } catch (JsonRpcException e) {
            return error(e);
        }
    }

    static Object typed(String value) {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
            return Boolean.parseBoolean(value);
        }
        if (value.matches("-?\\d{1,18}")) {
            return Long.parseLong(value);
        }
        return value;
    }

    private static void refuseController(String callsign) {
        if (PluginConstants.CONTROLLER.equals(callsign)) {
            throw new JsonRpcException(ErrorCode.NOT_ALLOWED,
                    "the Controller cannot change its own state");
        }
    }

    private static String error(JsonRpcException e) {
        return "error: " + (e.data() != null ? e.data() : e.getMessage());
    }
}
