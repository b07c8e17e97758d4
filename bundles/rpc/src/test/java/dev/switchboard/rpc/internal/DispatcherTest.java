package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.Caller;
import dev.switchboard.api.plugin.EventSink;
import dev.switchboard.api.plugin.Index;
import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.security.Decision;
import dev.switchboard.rpc.metrics.MethodMetrics;

class DispatcherTest {

    @JsonRpcInterface(name = "JCounter", major = 1, minor = 4)
    public interface CounterV1 {
        record Amount(int by) {
        }

        @JsonRpcMethod
        int add(Amount amount);

        @JsonRpcMethod
        void broken();

        @JsonRpcMethod
        void block();

        @JsonRpcMethod
        String whoami(Caller caller);

        @JsonRpcMethod(value = "label", property = true)
        String label(@Index String index);

        @JsonRpcMethod(value = "label", property = true)
        void label(@Index String index, String value);

        @JsonRpcMethod(property = true)
        int total();
    }

    @JsonRpcInterface(name = "JCounter", major = 2)
    public interface CounterV2 {
        @JsonRpcMethod("add")
        int addTwice(CounterV1.Amount amount);
    }

    public static class Counter implements Plugin, CounterV1, CounterV2 {
        final Map<String, String> labels = new java.util.concurrent.ConcurrentHashMap<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile EventSink sink;
        int total;

        @Override
        public void attach(EventSink events) {
            sink = events;
        }

        @Override
        public synchronized int add(Amount amount) {
            total += amount.by();
            sink.emit("changed", Map.of("total", total));
            return total;
        }

        @Override
        public int addTwice(Amount amount) {
            return add(new Amount(amount.by() * 2));
        }

        @Override
        public void broken() {
            throw new IllegalStateException("boom");
        }

        @Override
        public void block() {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String whoami(Caller caller) {
            return caller.token() + "@" + caller.origin();
        }

        @Override
        public String label(String index) {
            return labels.get(index);
        }

        @Override
        public void label(String index, String value) {
            if (index == null) {
                throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "an @index is required");
            }
            labels.put(index, value);
        }

        @Override
        public synchronized int total() {
            return total;
        }
    }

    private final PluginRegistry registry = new PluginRegistry();
    private final Enforcement enforcement = new Enforcement();
    private final Metrics metrics = new Metrics();
    private final Counter counter = new Counter();
    private final List<String> pushed = new ArrayList<>();
    private final EventHub.Subscriber subscriber = pushed::add;
    private ExecutorService workers;
    private Dispatcher dispatcher;

    @BeforeEach
    void setUp() {
        workers = Executors.newFixedThreadPool(4);
        dispatcher = new Dispatcher(registry, enforcement, workers, 500, 4, "Sleeping"::equals, metrics);
        enforcement.enforce(false);
        registry.bindPlugin(counter, Map.of("callsign", "Counter", "service.id", 7L));
    }

    @AfterEach
    void tearDown() {
        counter.release.countDown();
        workers.shutdownNow();
    }

    private JsonNode call(String json) {
        return call(json, null);
    }

    private JsonNode call(String json, EventHub.Subscriber on) {
        try {
            return dispatcher.answer(Json.MAPPER.readTree(json), new Dispatcher.Channel(null, "tok", "http://o", "test", on))
                    .get(5, TimeUnit.SECONDS).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String request(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    private int errorCode(String method, String params) {
        JsonNode reply = call(request(method, params));
        assertThat(reply.path("id").asInt()).isEqualTo(42);
        return reply.path("error").path("code").asInt();
    }

    @Test
    void callsMethodWithBoundParams() {
        assertThat(call(request("Counter.1.add", "{\"by\":5}")).path("result").asInt()).isEqualTo(5);
        assertThat(call(request("Counter.add", "{\"by\":2}")).path("result").asInt()).isEqualTo(7);
    }

    @Test
    void versionSelectsInterface() {
        assertThat(call(request("Counter.2.add", "{\"by\":5}")).path("result").asInt()).isEqualTo(10);
        assertThat(errorCode("Counter.3.add", "{\"by\":5}")).isEqualTo(-31038);
    }

    @Test
    void builtIns() {
        JsonNode versions = call(request("Counter.1.versions", null)).path("result");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).path("name").asText()).isEqualTo("JCounter");
        assertThat(versions.get(0).path("minor").asInt()).isEqualTo(4);
        assertThat(versions.get(1).path("major").asInt()).isEqualTo(2);
        assertThat(call(request("Counter.1.exists", "{\"method\":\"add\"}")).path("result").asBoolean()).isTrue();
        assertThat(call(request("Counter.1.exists", "{\"method\":\"versions\"}")).path("result").asBoolean()).isTrue();
        assertThat(call(request("Counter.2.exists", "{\"method\":\"total\"}")).path("result").asBoolean()).isFalse();
        assertThat(errorCode("Counter.1.exists", "{}")).isEqualTo(-32602);
        assertThat(errorCode("Counter.1.exists", null)).isEqualTo(-32602);
    }

    @Test
    void aMegabyteMethodNameIsNotSentBackWhole() {
        String name = "x".repeat(1_000_000);

        JsonNode error = call(request("Counter.1." + name, null)).path("error");

        assertThat(error.path("code").asInt()).isEqualTo(-32601);
        assertThat(error.path("data").asText()).hasSizeLessThan(Envelope.MAX_ERROR_DATA_CHARS + 40)
                .startsWith("Counter has no method xxx").endsWith("...(" + (name.length() + 22) + " chars)");
    }

    @Test
    void errorCodes() {
        assertThat(errorCode("Counter.1.nothing", null)).isEqualTo(-32601);
        assertThat(errorCode("Nobody.1.add", null)).isEqualTo(-31043);
        assertThat(errorCode("Sleeping.1.add", null)).isEqualTo(-31002);
        assertThat(errorCode("Counter..add", null)).isEqualTo(-31015);
        assertThat(errorCode("Counter.1.add", null)).isEqualTo(-32602);
        assertThat(errorCode("Counter.1.add", "{\"by\":\"many\"}")).isEqualTo(-32602);
        assertThat(errorCode("Counter.1.add@x", "{\"by\":1}")).isEqualTo(-32602);
        assertThat(errorCode("Counter.1.broken", null)).isEqualTo(-32603);
        assertThat(call(request("Counter.1.broken", null)).path("error").path("message").asText()).isEqualTo("Unknown JSON-RPC error.");
    }

    @Test
    void stuckCallTimesOutAndOthersStillAnswer() {
        assertThat(errorCode("Counter.1.block", null)).isEqualTo(-32000);
        assertThat(call(request("Counter.1.add", "{\"by\":1}")).path("result").asInt()).isEqualTo(1);
    }

    @Test
    void invalidEnvelopes() {
        assertThat(call("{\"id\":1,\"method\":\"Counter.1.total\"}").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(call("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(call("17").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(call("[]").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(call("[1,2,3,4,5]").path("error").path("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void batchAnswersEachRequestAndSkipsNotifications() {
        JsonNode replies = call("[" + request("Counter.1.add", "{\"by\":1}") + ","
                + "{\"jsonrpc\":\"2.0\",\"method\":\"Counter.1.add\",\"params\":{\"by\":10}},"
                + "{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"method\":\"Counter.1.missing\"},"
                + "{\"foo\":1}]");
        assertThat(replies.isArray()).isTrue();
        assertThat(replies).hasSize(3);
        assertThat(replies.get(2).path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(replies.get(1).path("id").asText()).isEqualTo("b");
        assertThat(replies.get(1).path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(counter.total()).isEqualTo(11);
    }

    @Test
    void notificationGetsNoAnswerEvenOnError() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Counter.1.add\",\"params\":{\"by\":3}}")).isNull();
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"Counter.1.missing\"}")).isNull();
        assertThat(counter.total()).isEqualTo(3);
    }

    @Test
    void propertyGetAndSetWithIndex() {
        assertThat(call(request("Counter.1.label@a", "\"first\"")).path("result").isNull()).isTrue();
        assertThat(call(request("Counter.1.label@a", null)).path("result").asText()).isEqualTo("first");
        assertThat(errorCode("Counter.1.label", "\"x\"")).isEqualTo(-32602);
        assertThat(errorCode("Counter.1.total", "5")).isEqualTo(-32602);
        assertThat(call(request("Counter.1.total", "{}")).path("result").asInt()).isZero();
    }

    @Test
    void callerCarriesTokenAndOrigin() {
        assertThat(call(request("Counter.1.whoami", null)).path("result").asText()).isEqualTo("tok@http://o");
    }

    @Test
    void eventsReachRegisteredConnectionsOnly() {
        assertThat(errorCode("Counter.1.register", "{\"event\":\"changed\",\"id\":\"c1\"}")).isEqualTo(-31048);
        assertThat(call(request("Counter.1.register", "{\"event\":\"changed\",\"id\":\"c1\"}"), subscriber).has("result")).isTrue();
        call(request("Counter.1.add", "{\"by\":2}"));
        assertThat(pushed).containsExactly("{\"jsonrpc\":\"2.0\",\"method\":\"c1.changed\",\"params\":{\"total\":2}}");
        assertThat(call(request("Counter.1.unregister", "{\"event\":\"changed\",\"id\":\"c1\"}"), subscriber).has("result")).isTrue();
        assertThat(call(request("Counter.1.unregister", "{\"event\":\"changed\",\"id\":\"c1\"}"), subscriber)
                .path("error").path("code").asInt()).isEqualTo(-31049);
        call(request("Counter.1.add", "{\"by\":2}"));
        assertThat(pushed).hasSize(1);
    }

    @Test
    void pluginThatLeavesIsUnavailableAndComesBack() {
        registry.unbindPlugin(counter, Map.of("callsign", "Counter", "service.id", 7L));
        assertThat(errorCode("Counter.1.total", null)).isEqualTo(-31043);
        registry.bindPlugin(counter, Map.of("callsign", "Counter", "service.id", 8L));
        assertThat(call(request("Counter.1.total", null)).path("result").asInt()).isZero();
    }

    @Test
    void failsClosedWithoutOfficer() {
        enforcement.enforce(true);
        Dispatcher.Answer refused = dispatcher.answer(Json.MAPPER.valueToTree(Map.of("jsonrpc", "2.0", "id", 1,
                "method", "Counter.1.total")), new Dispatcher.Channel(null, null, null, "test", null)).join();
        assertThat(refused.unauthenticated()).isTrue();
        assertThat(refused.body().path("error").path("code").asInt()).isEqualTo(-32604);
        // Controller.1.exists passes the check (and then finds no Controller in this registry)
        assertThat(errorCode("Controller.1.exists", "{\"method\":\"status\"}")).isEqualTo(-31043);
    }

    @Test
    void officerDecides() {
        enforcement.enforce(true);
        enforcement.officer((token, call) -> "total".equals(call.method()) ? Decision.ALLOWED : Decision.DENIED);
        assertThat(call(request("Counter.1.total", null)).path("result").asInt()).isZero();
        assertThat(errorCode("Counter.1.add", "{\"by\":1}")).isEqualTo(-32604);
        enforcement.officer((token, call) -> {
            throw new IllegalStateException("broken officer");
        });
        assertThat(errorCode("Counter.1.total", null)).isEqualTo(-32604);
    }

    private MethodMetrics metricsOf(String callsign, String method) {
        return metrics.snapshot().stream().filter(m -> m.callsign().equals(callsign) && m.method().equals(method))
                .findFirst().orElseThrow(() -> new AssertionError("no metrics for " + callsign + "." + method));
    }

    @Test
    void countsRequestsErrorsAndLatencyPerCallsignAndMethod() {
        call(request("Counter.1.add", "{\"by\":1}"));
        call(request("Counter.add", "{\"by\":1}"));
        call(request("Counter.1.add", null));
        call(request("Counter.1.broken", null));
        call(request("Counter.1.versions", null));
        call("{\"jsonrpc\":\"2.0\",\"method\":\"Counter.1.add\",\"params\":{\"by\":1}}");

        MethodMetrics add = metricsOf("Counter", "add");
        assertThat(add.requests()).isEqualTo(4);
        assertThat(add.errors()).isEqualTo(1);
        assertThat(add.errorCodes()).containsExactly(Map.entry(-32602, 1L));
        assertThat(add.latencyBuckets().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
        assertThat(add.latencyMaxMicros()).isPositive();
        assertThat(metricsOf("Counter", "broken").errorCodes()).containsExactly(Map.entry(-32603, 1L));
        assertThat(metricsOf("Counter", "versions").errors()).isZero();
    }

    @Test
    void madeUpNamesShareTheUnknownEntries() {
        for (int i = 0; i < 50; i++) {
            call(request("Counter.1.nothing" + i, null));
            call(request("Nobody" + i + ".1.add", null));
        }
        call(request("Counter.9.add", null));
        call(request("Counter..add", null));
        call("{\"id\":1}");
        call("[]");
        assertThat(metrics.snapshot()).extracting(m -> m.callsign() + "." + m.method())
                .containsExactly("Counter.unknown", "unknown.unknown");
        assertThat(metricsOf("Counter", "unknown").requests()).isEqualTo(51);
        assertThat(metricsOf("Counter", "unknown").errorCodes())
                .containsExactly(Map.entry(-32601, 50L), Map.entry(-31038, 1L));
        MethodMetrics unknown = metricsOf("unknown", "unknown");
        assertThat(unknown.requests()).isEqualTo(53);
        assertThat(unknown.errorCodes()).containsEntry(-31043, 50L).containsEntry(-31015, 1L).containsEntry(-32600, 2L);
    }

    @Test
    void refusedCallsAndTimeoutsAreCounted() {
        enforcement.enforce(true);
        enforcement.officer((token, call) -> Decision.DENIED);
        call(request("Counter.1.total", null));
        enforcement.enforce(false);
        call(request("Counter.1.block", null));
        assertThat(metricsOf("Counter", "total").errorCodes()).containsExactly(Map.entry(-32604, 1L));
        MethodMetrics block = metricsOf("Counter", "block");
        assertThat(block.errorCodes()).containsExactly(Map.entry(-32000, 1L));
        assertThat(block.latencyMaxMicros()).isGreaterThanOrEqualTo(500_000);
    }

    @Test
    void aClientIsItsAddressWithoutPortOrHostName() {
        assertThat(Dispatcher.address("127.0.0.1:5000")).isEqualTo("127.0.0.1");
        assertThat(Dispatcher.address("/127.0.0.1:5001")).isEqualTo("127.0.0.1");
        assertThat(Dispatcher.address("localhost/127.0.0.1:5002")).isEqualTo("127.0.0.1");
        assertThat(Dispatcher.address("0:0:0:0:0:0:0:1:5003")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(Dispatcher.address("test")).isEqualTo("test");
    }

    @Test
    void busyAnswersABatchWithOneErrorAndASingleRequestWithItsId() throws Exception {
        JsonNode batch = Json.MAPPER.readTree("[" + request("Counter.1.total", null) + ","
                + "{\"jsonrpc\":\"2.0\",\"method\":\"Counter.1.total\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"Counter.1.total\"}]");
        JsonNode answer = dispatcher.busy(batch, "too many").body();
        assertThat(answer.isObject()).as("one error for the whole batch: " + answer).isTrue();
        assertThat(answer.get("id").isNull()).isTrue();
        assertThat(answer.path("error").path("code").asInt()).isEqualTo(Dispatcher.SERVER_BUSY);
        assertThat(answer.path("error").path("data").asText()).isEqualTo("too many");
        JsonNode single = dispatcher.busy(Json.MAPPER.readTree(request("Counter.1.total", null)), "full").body();
        assertThat(single.path("id").asInt()).isEqualTo(42);
        assertThat(single.path("error").path("code").asInt()).isEqualTo(-32001);
        assertThat(dispatcher.busy(Json.MAPPER.readTree("{\"jsonrpc\":\"2.0\",\"method\":\"Counter.1.total\"}"), "full")
                .body()).isNull();
        assertThat(dispatcher.busy(Json.MAPPER.readTree("[{\"jsonrpc\":\"2.0\",\"method\":\"Counter.1.total\"}]"), "full")
                .body()).as("a batch of notifications").isNull();
        assertThat(counter.total()).as("nothing was called").isZero();
    }
}
