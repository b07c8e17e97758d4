package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
import dev.switchboard.api.config.Settings;
import dev.switchboard.api.plugin.ConfiguredCallsigns;
import dev.switchboard.api.security.SecurityOfficer;

/**
 * The host's HTTP face, on the OSGi Servlet Whiteboard: JSON-RPC on {@code POST /jsonrpc[/<Callsign>]}
 * and the WebSocket upgrade on {@code /jsonrpc}; Thunder's {@code /Service/...} paths
 * ({@link ServicePaths}) and its notification WebSocket on {@code /Service/Controller}. Every answer
 * carries the CORS headers the configuration allows.
 */
@Component(service = Servlet.class, configurationPid = JsonRpcServlet.PID, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/jsonrpc",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/jsonrpc/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + ServicePaths.PREFIX,
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + ServicePaths.PREFIX + "/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=switchboard-jsonrpc" })
@Designate(ocd = JsonRpcServlet.Config.class)
public class JsonRpcServlet extends JettyWebSocketServlet {

    static final String PID = "dev.switchboard.rpc";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcServlet.class);
    private static final String JSON = "application/json";
    private static final Set<String> ALLOWED_METHODS = Cors.methods("OPTIONS", "POST");
    /** The Felix HTTP setting that sets up Jetty's WebSocket support. */
    static final String WEBSOCKET_KEY = "org.apache.felix.jetty.websocket.enable = true";

    /** The metatype; the code reads the raw properties through {@link TransportSettings}, with the same ranges. */
    @ObjectClassDefinition(name = "Switchboard JSON-RPC transport")
    public @interface Config {
        @AttributeDefinition(name = "Enforce", description = "Check every call with the security officer; "
                + "false is for development only. Anything but true or false keeps checking on")
        boolean enforce() default true;

        @AttributeDefinition(name = "Largest request", description = "Largest request (HTTP body or WebSocket "
                + "message) in bytes", min = TransportSettings.MIN_REQUEST_BYTES, max = TransportSettings.MAX_REQUEST_BYTES)
        int maxRequestBytes() default TransportSettings.DEFAULT_MAX_REQUEST_BYTES;

        @AttributeDefinition(name = "Deepest nesting", description = "Deepest JSON nesting accepted in a request",
                min = TransportSettings.MIN_NESTING_DEPTH, max = TransportSettings.MAX_NESTING_DEPTH)
        int maxNestingDepth() default TransportSettings.DEFAULT_MAX_NESTING_DEPTH;

        @AttributeDefinition(name = "Largest batch", description = "Most requests in one batch",
                min = TransportSettings.MIN_BATCH_SIZE, max = TransportSettings.MAX_BATCH_SIZE)
        int maxBatchSize() default TransportSettings.DEFAULT_MAX_BATCH_SIZE;

        @AttributeDefinition(name = "Call timeout", description = "A call that takes longer is answered with -32000",
                min = TransportSettings.MIN_CALL_TIMEOUT_MILLIS, max = TransportSettings.MAX_CALL_TIMEOUT_MILLIS)
        long callTimeoutMillis() default TransportSettings.DEFAULT_CALL_TIMEOUT_MILLIS;

        @AttributeDefinition(name = "Worker threads", description = "Threads that run plugin calls",
                min = TransportSettings.MIN_WORKER_THREADS, max = TransportSettings.MAX_WORKER_THREADS)
        int workerThreads() default TransportSettings.DEFAULT_WORKER_THREADS;

        @AttributeDefinition(name = "Calls per client", description = "Calls one client (a WebSocket connection, "
                + "an HTTP client address) may have in progress, answers not yet written included; a message "
                + "beyond it is refused with -32001 (HTTP 503)",
                min = TransportSettings.MIN_CALLS_PER_CLIENT, max = TransportSettings.MAX_CALLS_PER_CLIENT)
        int maxCallsPerClient() default TransportSettings.DEFAULT_MAX_CALLS_PER_CLIENT;

        @AttributeDefinition(name = "Calls in progress", description = "Calls all clients together may have in "
                + "progress; a message beyond it is refused with -32001 (HTTP 503)",
                min = TransportSettings.MIN_CALLS_IN_PROGRESS, max = TransportSettings.MAX_CALLS_IN_PROGRESS)
        int maxCallsInProgress() default TransportSettings.DEFAULT_MAX_CALLS_IN_PROGRESS;

        @AttributeDefinition(name = "Unread bytes per WebSocket", description = "A WebSocket client that leaves "
                + "more bytes of answers and events unread is closed (1008)",
                min = TransportSettings.MIN_PENDING_BYTES, max = TransportSettings.MAX_PENDING_BYTES)
        int maxPendingBytesPerConnection() default TransportSettings.DEFAULT_MAX_PENDING_BYTES;

        @AttributeDefinition(name = "WebSocket idle timeout", description = "A WebSocket silent for this long is "
                + "closed", min = TransportSettings.MIN_IDLE_TIMEOUT_SECONDS, max = TransportSettings.MAX_IDLE_TIMEOUT_SECONDS)
        long webSocketIdleTimeoutSeconds() default TransportSettings.DEFAULT_IDLE_TIMEOUT_SECONDS;

        @AttributeDefinition(name = "Metrics endpoint", description = "Serve the request metrics in Prometheus text "
                + "format on GET /metrics (without a token, on the address HTTP listens on)")
        boolean metricsEndpoint() default true;

        @AttributeDefinition(name = "CORS origins", description = "Browser pages that may read the answers of "
                + "/jsonrpc and /Service: * for any (as Thunder; tokens travel in headers, never in cookies), or "
                + "origins such as https://console.example:8443 separated by commas")
        String corsOrigins() default "*";
    }

    private final transient Enforcement enforcement = new Enforcement();
    private final transient PluginRegistry registry;
    private final transient Metrics metrics;
    private final transient Links links;
    private final transient CallBudget budget = new CallBudget(TransportSettings.DEFAULT_MAX_CALLS_PER_CLIENT,
            TransportSettings.DEFAULT_MAX_CALLS_IN_PROGRESS);
    private final transient Workers workers;
    private transient volatile ConfiguredCallsigns configured;
    private transient volatile Limits limits;
    private final transient WebSocketUpgrade upgrade;
    private final transient ServicePaths servicePaths;

    /** The settings a request is checked against; replaced as a whole when the configuration changes. */
    record Limits(TransportSettings settings, ObjectMapper parser, Dispatcher dispatcher) {
    }

    @Activate
    public JsonRpcServlet(@Reference PluginRegistry registry, @Reference Workers workers, @Reference Metrics metrics,
            @Reference WebUis webUis, @Reference Links links, Map<String, Object> properties) {
        this.registry = registry;
        this.workers = workers;
        this.metrics = metrics;
        this.links = links;
        modified(properties);
        this.upgrade = new WebSocketUpgrade(() -> limits, budget, enforcement, registry.events(), links);
        this.servicePaths = new ServicePaths(this::answer, webUis);
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

    /** The plugin manager, which tells an inactive plugin from an unknown one; without it every missing one is unknown. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfiguredCallsigns(ConfiguredCallsigns callsigns) {
        configured = callsigns;
    }

    void unbindConfiguredCallsigns(ConfiguredCallsigns callsigns) {
        if (configured == callsigns) {
            configured = null;
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        Settings read = new Settings(PID, properties);
        TransportSettings settings = TransportSettings.read(read, properties,
                limits == null ? TransportSettings.DEFAULTS : limits.settings());
        read.rejections().forEach(LOG::error);
        read.unknownKeyWarnings(Config.class).forEach(LOG::warn);
        if (settings.maxCallsPerClient() < settings.maxBatchSize()) {
            LOG.warn("Configuration {}: maxCallsPerClient {} is below maxBatchSize {}: larger batches are always refused",
                    PID, settings.maxCallsPerClient(), settings.maxBatchSize());
        }
        budget.limits(settings.maxCallsPerClient(), settings.maxCallsInProgress());
        Dispatcher dispatcher = new Dispatcher(registry, enforcement, workers, settings.callTimeoutMillis(),
                settings.maxBatchSize(), this::isConfigured, metrics);
        limits = new Limits(settings, Json.requestParser(settings.maxNestingDepth()), dispatcher);
        links.settings(settings);
        enforcement.enforce(settings.enforce());
        if (!settings.enforce()) {
            LOG.warn("Security enforcement is off: every caller may call every plugin");
        }
    }

    /**
     * Jetty's WebSocket servlet starts only where the HTTP server set up Jetty's WebSocket support, which
     * Felix HTTP does when its configuration says {@value #WEBSOCKET_KEY}. Without it this servlet cannot
     * start and no call is answered, so the log says what to add.
     */
    @Override
    public void init() throws ServletException {
        try {
            super.init();
        } catch (ServletException | RuntimeException e) {
            if (webSocketSupportMissing(e)) {
                LOG.error("JSON-RPC on /jsonrpc cannot start: the HTTP server has no Jetty WebSocket support;"
                        + " add {} to the configuration org.apache.felix.http (in Karaf etc/org.apache.felix.http.cfg)",
                        WEBSOCKET_KEY);
            }
            throw e;
        }
    }

    /** Whether a failed start is Jetty's "WebSocketComponents has not been created", anywhere in the causes. */
    static boolean webSocketSupportMissing(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("WebSocketComponents")) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        TransportSettings settings = limits.settings();
        factory.setIdleTimeout(Duration.ofSeconds(settings.webSocketIdleTimeoutSeconds()));
        factory.setMaxTextMessageSize(settings.maxRequestBytes());
        factory.setMaxBinaryMessageSize(settings.maxRequestBytes());
        factory.setCreator(upgrade::create);
    }

    /**
     * POST carries JSON-RPC, GET the WebSocket upgrade, OPTIONS says so or answers a preflight; any
     * other method (TRACE included), and any path deeper than {@code /jsonrpc/<Callsign>}, is
     * answered with a JSON-RPC error object.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        Cors cors = limits.settings().cors();
        cors.allowReading(request, response);
        // not any Upgrade: HTTP clients offer h2c on a plain GET
        boolean upgrading = "GET".equals(request.getMethod()) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        if (ServicePaths.PREFIX.equals(request.getServletPath()) && !upgrading) {
            servicePaths.serve(request, response, cors);
            return;
        }
        String path = request.getPathInfo();
        if (path != null && path.indexOf('/', 1) >= 0 && !ServicePaths.PREFIX.equals(request.getServletPath())) {
            HttpErrorBody.write(request, response, HttpServletResponse.SC_NOT_FOUND,
                    "no JSON-RPC endpoint here: POST to /jsonrpc or /jsonrpc/<Callsign>");
            return;
        }
        switch (request.getMethod()) {
            case "POST", "GET" -> super.service(request, response);
            case "OPTIONS" -> cors.options(request, response, ALLOWED_METHODS);
            default -> methodNotAllowed(request, response);
        }
    }

    /** A GET that is not a WebSocket upgrade. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        methodNotAllowed(request, response);
    }

    private static void methodNotAllowed(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", String.join(", ", ALLOWED_METHODS));
        HttpErrorBody.write(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                "JSON-RPC is spoken on POST or a WebSocket upgrade, not " + LogText.quote(request.getMethod()));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Limits current = limits;
        Dispatcher.Channel channel = channel(request);
        byte[] body;
        try {
            body = RequestBody.read(request, current.settings().maxRequestBytes());
        } catch (RequestBody.Refused e) {
            if (e.status() == HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE) {
                response.setHeader("Accept-Encoding", "gzip");
            }
            write(response, e.status(), current.dispatcher().invalidRequest(e.getMessage(), channel));
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
        Dispatcher.Answer answer = answer(message, request, response);
        if (answer != null) {
            write(response, answer.unauthenticated() ? HttpServletResponse.SC_UNAUTHORIZED : HttpServletResponse.SC_OK, answer);
        }
    }

    /** A request's channel: the callsign {@code /jsonrpc/<Callsign>} binds, the token, the origin, the client. */
    private Dispatcher.Channel channel(HttpServletRequest request) {
        String client = request.getRemoteAddr();
        String boundCallsign = ServicePaths.PREFIX.equals(request.getServletPath()) ? null
                : WebSocketUpgrade.boundCallsign(request);
        return new Dispatcher.Channel(boundCallsign, token(request), request.getHeader("Origin"),
                client + ":" + request.getRemotePort(), null, () -> budget.inProgress(client));
    }

    /** Answers an HTTP client's message within its client's budget; null once a refusal (503) is written. */
    private Dispatcher.Answer answer(JsonNode message, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Limits current = limits;
        String client = request.getRemoteAddr();
        int calls = callsIn(message, current.settings());
        if (!budget.tryAcquire(client, calls)) {
            String reason = budget.whyRefused(client, calls);
            String heldBack = CallBudget.REFUSAL_LINES.admit(client);
            if (heldBack != null) {
                LOG.warn("HTTP client {} refused {} calls: {}{}", client, calls, reason, heldBack);
            }
            response.setHeader("Retry-After", "1");
            write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, current.dispatcher().busy(message, reason));
            return null;
        }
        try {
            return current.dispatcher().answer(message, channel(request)).join();
        } finally {
            budget.release(client, calls);
        }
    }

    /** The calls a message holds, as the budget counts them: a batch too large to be answered counts one. */
    static int callsIn(JsonNode message, TransportSettings settings) {
        return message.isArray() && message.size() > 1 && message.size() <= settings.maxBatchSize() ? message.size() : 1;
    }

    private static void write(HttpServletResponse response, int status, Dispatcher.Answer answer) throws IOException {
        if (answer.body() == null && status == HttpServletResponse.SC_OK) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        writeJson(response, status, answer.body());
    }

    /** Writes {@code body} (none when null) as the JSON answer. */
    static void writeJson(HttpServletResponse response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        if (body != null) {
            Json.MAPPER.writeValue(response.getOutputStream(), body);
        }
    }

    /** The Bearer token; as Thunder, a REST GET without one may carry it as {@code ?token=}. */
    private static String token(HttpServletRequest request) {
        String bearer = bearerToken(request);
        return bearer == null && "GET".equals(request.getMethod()) && ServicePaths.PREFIX.equals(request.getServletPath())
                ? request.getParameter("token")
                : bearer;
    }

    /**
     * The token of an {@code Authorization: Bearer} header; any other Authorization header, or an empty
     * Bearer, is a token that is not valid (the empty text), refused even on methods open without a token.
     */
    private static String bearerToken(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        return value.regionMatches(true, 0, "Bearer", 0, 6) && (value.length() == 6 || value.charAt(6) == ' ')
                ? value.substring(6).trim()
                : "";
    }

    private boolean isConfigured(String callsign) {
        ConfiguredCallsigns callsigns = configured;
        return callsigns != null && callsigns.isConfigured(callsign);
    }
}
