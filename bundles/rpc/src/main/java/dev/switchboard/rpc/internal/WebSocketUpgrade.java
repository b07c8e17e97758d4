package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.config.LogThrottle;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.security.Call;

/**
 * Accepts or refuses a WebSocket upgrade: the subprotocol it speaks, the token it carries, and
 * which socket it opens. The token comes on {@code ?token=} or, since a browser cannot set headers
 * on a WebSocket, as the one value of {@code Sec-WebSocket-Protocol}, which is then echoed (a
 * browser drops a connection whose answer names no protocol it offered). A token that is present
 * but not valid is refused at the upgrade with 403, as Thunder does, not call by call.
 * {@code /jsonrpc[/<Callsign>]} speaks JSON-RPC; {@code /Service/Controller} is Thunder's
 * notification channel: each plugin state change as a plain object, and JSON-RPC to the Controller.
 */
final class WebSocketUpgrade {

    /** Thunder's subprotocols that speak JSON-RPC; "text" and "raw" do not. */
    static final List<String> SUBPROTOCOLS = List.of("json", "jsonrpc", "notification");
    static final String STATECHANGE = "statechange";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrade.class);
    /** One line per client address every 10 s, 50 lines every 10 s in all. */
    private static final LogThrottle REFUSAL_LINES = new LogThrottle(Duration.ofSeconds(10), 4096, 50);

    private final Supplier<JsonRpcServlet.Limits> limits;
    private final CallBudget budget;
    private final Enforcement enforcement;
    private final EventHub events;
    private final Links links;

    WebSocketUpgrade(Supplier<JsonRpcServlet.Limits> limits, CallBudget budget, Enforcement enforcement, EventHub events,
            Links links) {
        this.limits = limits;
        this.budget = budget;
        this.enforcement = enforcement;
        this.events = events;
        this.links = links;
    }

    /** @return the connection, or null when the upgrade was refused (the refusal is written) */
    Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) throws IOException {
        HttpServletRequest http = request.getHttpServletRequest();
        String remote = String.valueOf(request.getRemoteSocketAddress());
        boolean notificationChannel = ServicePaths.PREFIX.equals(http.getServletPath());
        if (notificationChannel && !ServicePaths.isController(http.getPathInfo())) {
            return refuse(response, HttpServletResponse.SC_NOT_FOUND, remote,
                    "no WebSocket on " + LogText.quote(http.getRequestURI()) + ": Thunder's notification channel is "
                            + ServicePaths.PREFIX + "/" + PluginConstants.CONTROLLER);
        }
        List<String> offered = request.getSubProtocols();
        List<String> tokens = offered.stream().filter(WebSocketUpgrade::looksLikeJwt).toList();
        List<String> protocols = offered.stream().filter(p -> !looksLikeJwt(p)).toList();
        if (tokens.size() > 1) {
            return refuse(response, HttpServletResponse.SC_BAD_REQUEST, remote, "offer at most one token as a subprotocol");
        }
        if (!protocols.isEmpty()) {
            String accepted = protocols.stream().filter(SUBPROTOCOLS::contains).findFirst().orElse(null);
            if (accepted == null) {
                return refuse(response, HttpServletResponse.SC_BAD_REQUEST, remote, "none of the subprotocols "
                        + LogText.quote(protocols) + " speaks JSON-RPC; supported: " + SUBPROTOCOLS);
            }
            response.setAcceptedSubProtocol(accepted);
        } else if (!tokens.isEmpty()) {
            response.setAcceptedSubProtocol(tokens.get(0));
        }
        List<String> queryToken = request.getParameterMap().get("token");
        String token = queryToken == null || queryToken.isEmpty() ? (tokens.isEmpty() ? null : tokens.get(0))
                : queryToken.get(0);
        String callsign = notificationChannel ? PluginConstants.CONTROLLER : boundCallsign(http);
        // What the socket is for decides: the state changes it pushes, or any call on it.
        Call call = new Call(callsign == null ? PluginConstants.CONTROLLER : callsign, 1, "register", null,
                request.getOrigin(), Dispatcher.address(remote));
        if (notificationChannel ? !enforcement.allows(token, call) : enforcement.refusesToken(token, call)) {
            return refuse(response, HttpServletResponse.SC_FORBIDDEN, remote, token == null
                    ? "the notification channel needs a token that may register for Controller events"
                    : "the token is not valid" + (notificationChannel ? " or may not register for Controller events" : ""));
        }
        WebSocketConnection connection = new WebSocketConnection(limits, budget, callsign, token, request.getOrigin(),
                remote, events, links);
        if (notificationChannel) {
            events.registerPlain(PluginConstants.CONTROLLER, STATECHANGE, connection);
        }
        return connection;
    }

    private static Object refuse(JettyServerUpgradeResponse response, int status, String remote, String why)
            throws IOException {
        String heldBack = REFUSAL_LINES.admit(Dispatcher.address(remote));
        if (heldBack != null) {
            LOG.info("WebSocket from {} refused ({}): {}{}", remote, status, why, heldBack);
        }
        response.sendError(status, why);
        return null;
    }

    /** Three base64url parts separated by dots. */
    static boolean looksLikeJwt(String value) {
        return value.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    }

    /** {@code /jsonrpc/<Callsign>} binds the channel to that callsign. */
    static String boundCallsign(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null || path.length() <= 1 ? null : path.substring(1);
    }
}
