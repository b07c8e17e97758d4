package dev.switchboard.rpc.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.config.LogThrottle;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.Caller;
import dev.switchboard.api.security.Call;
import dev.switchboard.api.security.Decision;

/**
 * Answers JSON-RPC messages, single or batch, the same way for HTTP and WebSocket: envelope
 * ({@link Envelope}), designator, security decision, plugin, interface, method (declared, or one of
 * the {@link BuiltInMethods}), then the call on a worker thread with a time limit so that one stuck
 * plugin cannot hold up the callers of others.
 */
final class Dispatcher {

    /**
     * Where a message came from: the bound callsign, the caller's token and origin, its connection,
     * and how many calls its client has in progress (lighter clients' calls run first).
     */
    record Channel(String boundCallsign, String token, String origin, String remote, EventHub.Subscriber subscriber,
            IntSupplier callsInProgress) {

        Channel(String boundCallsign, String token, String origin, String remote, EventHub.Subscriber subscriber) {
            this(boundCallsign, token, origin, remote, subscriber, () -> 0);
        }
    }

    /**
     * @param body            the response (an array for a batch), or null when nothing is sent back
     * @param unauthenticated some call lacked a valid token (HTTP answers 401)
     */
    record Answer(JsonNode body, boolean unauthenticated) {
    }

    /** Not Thunder's: in JSON-RPC's range for server errors, beside Thunder's -32000 (timed out). */
    static final int SERVER_BUSY = -32001;

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** One line per client address and error code every 10 s, 50 lines every 10 s in all. */
    private static final LogThrottle ERROR_LINES = new LogThrottle(Duration.ofSeconds(10), 4096, 50);

    private final PluginRegistry registry;
    private final Enforcement enforcement;
    private final Executor workers;
    private final long timeoutMillis;
    private final int maxBatch;
    private final Predicate<String> configured;
    private final Metrics metrics;
    private final BuiltInMethods builtIns;

    /**
     * @param configured tells whether a callsign has a configuration, to tell an inactive plugin from an unknown one
     * @param metrics    counts every request answered
     */
    Dispatcher(PluginRegistry registry, Enforcement enforcement, Executor workers, long timeoutMillis, int maxBatch,
            Predicate<String> configured, Metrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.enforcement = enforcement;
        this.workers = workers;
        this.timeoutMillis = timeoutMillis;
        this.maxBatch = maxBatch;
        this.configured = configured;
        this.builtIns = new BuiltInMethods(registry.events());
    }

    CompletableFuture<Answer> answer(JsonNode message, Channel channel) {
        if (!message.isArray()) {
            return answerOne(message, channel);
        }
        if (message.isEmpty() || message.size() > maxBatch) {
            return CompletableFuture.completedFuture(refused("batch", channel, new JsonRpcException(
                    ErrorCode.INVALID_REQUEST, "a batch holds 1 to " + maxBatch + " requests, not " + message.size())));
        }
        List<CompletableFuture<Answer>> parts = new ArrayList<>(message.size());
        message.forEach(request -> parts.add(answerOne(request, channel)));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ArrayNode responses = Json.MAPPER.createArrayNode();
            boolean unauthenticated = false;
            for (CompletableFuture<Answer> part : parts) {
                Answer answer = part.join();
                if (answer.body() != null) {
                    responses.add(answer.body());
                }
                unauthenticated |= answer.unauthenticated();
            }
            return new Answer(responses.isEmpty() ? null : responses, unauthenticated);
        });
    }

    /** The answer to a message that is not JSON at all. */
    Answer parseError(String detail, Channel channel) {
        return refused("?", channel, new JsonRpcException(ErrorCode.PARSE_ERROR, detail));
    }

    /** The answer to a message refused before parsing (too large, too deep). */
    Answer invalidRequest(String detail, Channel channel) {
        return refused("?", channel, new JsonRpcException(ErrorCode.INVALID_REQUEST, detail));
    }

    /**
     * The answer to a message refused because its client, or all clients together, have too many
     * calls in progress: for a batch, one error with a null id (the batch cannot be processed as a
     * whole), so that a refusal costs little to build and to send; for a single request, an error
     * with its id, nothing for a notification or a batch of notifications. Not logged per request:
     * the transport says once that a client is refused.
     */
    Answer busy(JsonNode message, String detail) {
        boolean answered = false;
        for (JsonNode request : message.isArray() ? message : List.of(message)) {
            metrics.unknown().record(0, SERVER_BUSY);
            JsonNode id = request.isObject() ? request.get("id") : null;
            answered |= id != null && (id.isTextual() || id.isNumber() || id.isNull());
        }
        if (!answered) {
            return new Answer(null, false);
        }
        JsonNode id = message.isArray() ? NullNode.getInstance() : message.get("id");
        return new Answer(Envelope.error(id, new JsonRpcException(SERVER_BUSY, "Server busy.", detail)), false);
    }

    /** A message refused as a whole, before any request in it was looked at. */
    private Answer refused(String what, Channel channel, JsonRpcException e) {
        metrics.unknown().record(0, e.code());
        return failure(null, what, channel, e);
    }

    private CompletableFuture<Answer> answerOne(JsonNode request, Channel channel) {
        long start = System.nanoTime();
        Metrics.Cell counted = metrics.unknown();
        JsonNode id = request.isObject() ? request.get("id") : null;
        if (!Envelope.validId(id)) {
            JsonRpcException e = new JsonRpcException(ErrorCode.INVALID_REQUEST, "id must be a string, a number or null");
            counted.record(System.nanoTime() - start, e.code());
            return CompletableFuture.completedFuture(failure(null, "?", channel, e));
        }
        String method = Envelope.methodOf(request);
        try {
            Envelope.validate(request);
        } catch (JsonRpcException e) {
            // not a valid request, so not a notification either: always answered
            counted.record(System.nanoTime() - start, e.code());
            return CompletableFuture.completedFuture(failure(id, method, channel, e));
        }
        boolean notification = id == null;
        try {
            Designator designator = Designator.parse(method, channel.boundCallsign());
            BoundPlugin found = registry.find(designator.callsign());
            counted = cell(found, designator);
            Call call = new Call(designator.callsign(), designator.version(), designator.method(), designator.index(),
                    channel.origin(), address(channel.remote()));
            Decision decision = enforcement.decide(channel.token(), call);
            if (decision != Decision.ALLOWED) {
                JsonRpcException e = new JsonRpcException(ErrorCode.NOT_ALLOWED,
                        decision == Decision.UNAUTHENTICATED ? "no valid token" : "not allowed for this token");
                counted.record(System.nanoTime() - start, e.code());
                Answer refused = failure(id, method, channel, e);
                return CompletableFuture.completedFuture(new Answer(notification ? null : refused.body(),
                        decision == Decision.UNAUTHENTICATED));
            }
            BoundPlugin plugin = plugin(found, designator.callsign());
            Map<String, MethodHandler> methods = plugin.methods().methods(designator.version());
            Caller caller = new Caller(channel.token(), channel.origin());
            JsonNode params = request.get("params");
            Metrics.Cell cell = counted;
            return invoke(() -> call(plugin, methods, designator, params, caller, channel), channel.callsInProgress().getAsInt())
                    .handle((result, error) -> {
                        if (error == null) {
                            cell.record(System.nanoTime() - start, 0);
                            return success(id, result);
                        }
                        JsonRpcException e = unwrap(error);
                        cell.record(System.nanoTime() - start, e.code());
                        return failure(id, method, channel, e);
                    })
                    .thenApply(answer -> notification ? new Answer(null, false) : answer);
        } catch (JsonRpcException e) {
            counted.record(System.nanoTime() - start, e.code());
            Answer failed = failure(id, method, channel, e);
            return CompletableFuture.completedFuture(notification ? new Answer(null, false) : failed);
        }
    }

    /**
     * Where a request is counted: under its callsign and method when the plugin is bound and has
     * that method, else under {@link Metrics#UNKNOWN}, so that made-up names never add entries.
     */
    private Metrics.Cell cell(BoundPlugin plugin, Designator designator) {
        if (plugin == null) {
            return metrics.unknown();
        }
        Map<String, MethodHandler> methods = plugin.methods().methodsOrNull(designator.version());
        boolean known = methods != null && (methods.containsKey(designator.method()) || BuiltInMethods.isBuiltIn(designator.method()));
        return metrics.cell(plugin.callsign(), known ? designator.method() : Metrics.UNKNOWN);
    }

    private BoundPlugin plugin(BoundPlugin plugin, String callsign) {
        if (plugin != null) {
            return plugin;
        }
        // Looked up only on this error path: a configured callsign without a service is inactive.
        if (configured.test(callsign)) {
            throw new JsonRpcException(ErrorCode.SERVICE_NOT_ACTIVE, callsign + " is not active");
        }
        throw new JsonRpcException(ErrorCode.SERVICE_UNAVAILABLE, "no plugin with callsign " + callsign);
    }

    private interface Work {
        Object run() throws Exception;
    }

    /** Runs the call on a worker, before the calls of clients with more in progress than {@code load}. */
    private CompletableFuture<JsonNode> invoke(Work work, int load) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        try {
            workers.execute(Workers.task(load, () -> {
                if (result.isDone()) {
                    return; // timed out while waiting: answered already, not worth a worker
                }
                try {
                    result.complete(Json.MAPPER.valueToTree(work.run()));
                } catch (Throwable e) { // whatever the plugin throws is the call's answer, not the worker's end
                    result.completeExceptionally(e);
                }
            }));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new JsonRpcException(SERVER_BUSY, "Server busy.", "the transport is stopping"));
        }
        return result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private Object call(BoundPlugin plugin, Map<String, MethodHandler> methods, Designator designator, JsonNode params,
            Caller caller, Channel channel) throws Exception {
        String name = designator.method();
        if (BuiltInMethods.isBuiltIn(name)) {
            return builtIns.call(name, plugin, methods, params, designator.index(), channel.subscriber());
        }
        MethodHandler handler = methods.get(name);
        if (handler == null) {
            throw new JsonRpcException(ErrorCode.UNKNOWN_METHOD, plugin.callsign() + " has no method " + name);
        }
        return handler.invoke(plugin.plugin(), params, designator.index(), caller);
    }

    private static JsonRpcException unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof JsonRpcException e) {
            return e;
        }
        if (cause instanceof TimeoutException) {
            return new JsonRpcException(ErrorCode.TIMED_OUT);
        }
        // The cause goes to the log only: a client sees no internals.
        LOG.warn("Plugin call failed", cause);
        return new JsonRpcException(ErrorCode.INTERNAL_ERROR);
    }

    private static Answer success(JsonNode id, JsonNode result) {
        return new Answer(Envelope.result(id, result), false);
    }

    private static Answer failure(JsonNode id, String method, Channel channel, JsonRpcException e) {
        String heldBack = ERROR_LINES.admit(address(channel.remote()) + " " + e.code());
        if (heldBack != null) {
            LOG.info("{} from {} answered {} {}{}{}", LogText.quote(method), channel.remote(), e.code(), e.getMessage(),
                    e.data() == null ? "" : " (" + LogText.quote(e.data()) + ")", heldBack);
        }
        return new Answer(Envelope.error(id, e), false);
    }

    /**
     * The client's address without its port or host name ({@code "127.0.0.1:5000"} and
     * {@code "/127.0.0.1:5001"} are {@code "127.0.0.1"}): one client opening new connections stays one client.
     */
    static String address(String remote) {
        if (remote == null) {
            return null;
        }
        int colon = remote.lastIndexOf(':');
        String host = colon > 0 ? remote.substring(0, colon) : remote;
        return host.substring(host.lastIndexOf('/') + 1);
    }
}
