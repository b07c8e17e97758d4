package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.security.SecurityOfficer;

/**
 * The JSON-RPC endpoint: {@code POST /jsonrpc[/<Callsign>]} and the WebSocket upgrade on
 * {@code /jsonrpc}, on the OSGi Servlet Whiteboard.
 */
@Component(service = Servlet.class, configurationPid = JsonRpcServlet.PID, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/jsonrpc",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/jsonrpc/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=switchboard-jsonrpc" })
@Designate(ocd = JsonRpcServlet.Config.class)
public class JsonRpcServlet extends JettyWebSocketServlet {

    static final String PID = "dev.switchboard.rpc";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcServlet.class);
    private static final String JSON = "application/json";
    /** Thunder's subprotocols that speak JSON-RPC; "text" and "raw" do not. */
    private static final List<String> SUBPROTOCOLS = List.of("json", "jsonrpc", "notification");

    @ObjectClassDefinition(name = "Switchboard JSON-RPC transport")
    public @interface Config {
        @AttributeDefinition(description = "Check every call with the security officer; off is for development only")
        boolean enforce() default true;

        @AttributeDefinition(description = "Largest request (HTTP body or WebSocket message) in bytes")
        int maxRequestBytes() default 1024 * 1024;

        @AttributeDefinition(description = "Deepest JSON nesting accepted in a request")
        int maxNestingDepth() default 64;

        @AttributeDefinition(description = "Most requests in one batch")
        int maxBatchSize() default 100;

        @AttributeDefinition(description = "A call that takes longer is answered with -32000")
        long callTimeoutMillis() default 30_000;

        @AttributeDefinition(description = "Threads that run plugin calls")
        int workerThreads() default 16;

        @AttributeDefinition(description = "Calls waiting for a worker before new ones are refused")
        int queuedCalls() default 1000;

        @AttributeDefinition(description = "A WebSocket silent for this long is closed")
        long webSocketIdleTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Serve the request metrics in Prometheus text format on GET /metrics "
                + "(without a token, on the address HTTP listens on)")
        boolean metricsEndpoint() default true;
    }

    private final transient Enforcement enforcement = new Enforcement();
    private final transient PluginRegistry registry;
    private final transient ConfigurationAdmin configurationAdmin;
    private final transient Metrics metrics;
    private transient ThreadPoolExecutor workers;
    private transient volatile Limits limits;

    /** The settings a request is checked against; replaced as a whole when the configuration changes. */
    private record Limits(Config config, ObjectMapper parser, Dispatcher dispatcher) {
    }

    @Activate
    public JsonRpcServlet(@Reference PluginRegistry registry, @Reference ConfigurationAdmin configurationAdmin,
            @Reference Metrics metrics, Config config) {
        this.registry = registry;
        this.configurationAdmin = configurationAdmin;
        this.metrics = metrics;
        modified(config);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSecurityOfficer(SecurityOfficer officer) {
        enforcement.officer(officer);
        LOG.info("Security officer {} decides on calls", officer.getClass().getName());
    }

    void unbindSecurityOfficer(SecurityOfficer officer) {
        enforcement.officer(null);
    }

    @Modified
    void modified(Config config) {
        ThreadPoolExecutor previous = workers;
        AtomicInteger threads = new AtomicInteger();
        workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queuedCalls()), r -> {
                    Thread t = new Thread(r, "switchboard-rpc-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        Dispatcher dispatcher = new Dispatcher(registry, enforcement, workers, config.callTimeoutMillis(),
                config.maxBatchSize(), this::isConfigured, metrics);
        limits = new Limits(config, Json.requestParser(config.maxNestingDepth()), dispatcher);
        enforcement.enforce(config.enforce());
        if (!config.enforce()) {
            LOG.warn("Security enforcement is off: every caller may call every plugin");
        }
        if (previous != null) {
            previous.shutdown();
        }
    }

    @Deactivate
    void deactivate() {
        workers.shutdownNow();
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        Config config = limits.config();
        factory.setIdleTimeout(Duration.ofSeconds(config.webSocketIdleTimeoutSeconds()));
        factory.setMaxTextMessageSize(config.maxRequestBytes());
        factory.setMaxBinaryMessageSize(config.maxRequestBytes());
        factory.setCreator(this::createWebSocket);
    }

    private Object createWebSocket(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response)
            throws IOException {
        List<String> offered = request.getSubProtocols();
        // A browser cannot set headers on a WebSocket, so a token may come as a subprotocol value.
        String protocolToken = offered.stream().filter(JsonRpcServlet::looksLikeJwt).findFirst().orElse(null);
        List<String> protocols = offered.stream().filter(p -> !looksLikeJwt(p)).toList();
        if (!protocols.isEmpty()) {
            String accepted = protocols.stream().filter(SUBPROTOCOLS::contains).findFirst().orElse(null);
            if (accepted == null) {
                LOG.info("WebSocket from {} refused: none of the subprotocols {} speaks JSON-RPC",
                        request.getRemoteSocketAddress(), LogText.quote(protocols));
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Supported subprotocols: " + SUBPROTOCOLS);
                return null;
            }
            response.setAcceptedSubProtocol(accepted);
        }
        List<String> queryToken = request.getParameterMap().get("token");
        String token = queryToken == null || queryToken.isEmpty() ? protocolToken : queryToken.get(0);
        String callsign = boundCallsign(request.getHttpServletRequest());
        return new WebSocketConnection(() -> limits.parser(), () -> limits.dispatcher(), callsign, token,
                request.getOrigin(), String.valueOf(request.getRemoteSocketAddress()), registry.events());
    }

    /** Three base64url parts separated by dots. */
    private static boolean looksLikeJwt(String value) {
        return value.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Limits current = limits;
        Dispatcher.Channel channel = new Dispatcher.Channel(boundCallsign(request), bearerToken(request),
                request.getHeader("Origin"), request.getRemoteAddr() + ":" + request.getRemotePort(), null);
        int max = current.config().maxRequestBytes();
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = request.getContentLengthLong() > max ? null : in.readNBytes(max + 1);
        }
        if (body == null || body.length > max) {
            write(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    current.dispatcher().invalidRequest("request larger than " + max + " bytes", channel));
            return;
        }
        JsonNode message;
        try {
            message = current.parser().readTree(body);
        } catch (StreamConstraintsException e) {
            write(response, HttpServletResponse.SC_BAD_REQUEST, current.dispatcher().invalidRequest(e.getOriginalMessage(), channel));
            return;
        } catch (JsonProcessingException e) {
            write(response, HttpServletResponse.SC_BAD_REQUEST, current.dispatcher().parseError(e.getOriginalMessage(), channel));
            return;
        }
        if (message == null || message.isMissingNode()) {
            write(response, HttpServletResponse.SC_BAD_REQUEST, current.dispatcher().parseError("empty body", channel));
            return;
        }
        Dispatcher.Answer answer = current.dispatcher().answer(message, channel).join();
        write(response, answer.unauthenticated() ? HttpServletResponse.SC_UNAUTHORIZED : HttpServletResponse.SC_OK, answer);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        methodNotAllowed(response);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        methodNotAllowed(response);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        methodNotAllowed(response);
    }

    private static void methodNotAllowed(HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "POST");
        response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "JSON-RPC is spoken on POST or a WebSocket upgrade");
    }

    private static void write(HttpServletResponse response, int status, Dispatcher.Answer answer) throws IOException {
        if (answer.body() == null && status == HttpServletResponse.SC_OK) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setStatus(status);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        if (answer.body() != null) {
            Json.MAPPER.writeValue(response.getOutputStream(), answer.body());
        }
    }

    /** {@code /jsonrpc/<Callsign>} binds the channel to that callsign. */
    private static String boundCallsign(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null || path.length() <= 1 ? null : path.substring(1);
    }

    private static String bearerToken(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
    }

    private boolean isConfigured(String callsign) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(
                    "(callsign=" + escapeFilterValue(callsign) + ")");
            return found != null && found.length > 0;
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot look up the configuration of {}", LogText.quote(callsign), e);
            return false;
        }
    }

    private static String escapeFilterValue(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
    }
}
