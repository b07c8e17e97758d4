package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/** Request metrics through Controller.1.metrics and the Prometheus endpoint GET /metrics. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetricsIT extends SwitchboardTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    public void callsAreCountedAndShownByTheControllerAndOnMetrics() throws Exception {
        awaitPlugin("DeviceInfo");
        JsonRpcClient client = client();
        long before = requests(client, "versions");
        for (int i = 0; i < 3; i++) {
            assertTrue(client.call("DeviceInfo.1.versions", null).json().has("result"));
        }
        assertEquals(-32601, client.call("DeviceInfo.1.nothing", null).errorCode());
        assertEquals(-32601, client.call("DeviceInfo.1.nothingElse", null).errorCode());
        assertEquals(-31043, client.call("Nobody.1.versions", null).errorCode());

        JsonNode deviceInfo = client.call("Controller.1.metrics@DeviceInfo", null).result();
        JsonNode versions = entry(deviceInfo, "DeviceInfo", "versions");
        assertEquals(before + 3, versions.get("requests").asLong());
        assertEquals(0, versions.get("errors").asLong());
        assertEquals(versions.get("requests").asLong(), versions.get("latency").get("count").asLong());
        assertTrue(versions.get("latency").get("maxms").asDouble() > 0);
        JsonNode unknownMethod = entry(deviceInfo, "DeviceInfo", "unknown");
        assertEquals(2, unknownMethod.get("errorcodes").get("-32601").asLong());

        JsonNode all = client.call("Controller.1.metrics", null).result();
        assertTrue(entry(all, "unknown", "unknown").get("errorcodes").get("-31043").asLong() >= 1);
        for (JsonNode m : all) {
            assertTrue("made-up names get no entry: " + m, !m.get("method").asText().startsWith("nothing")
                    && !m.get("callsign").asText().equals("Nobody"));
        }

        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = metrics.body();
        assertTrue(text, text.contains("# TYPE switchboard_rpc_requests_total counter"));
        assertTrue(text, text.contains("switchboard_rpc_requests_total{callsign=\"DeviceInfo\",method=\"versions\"} "));
        assertTrue(text, text.contains(
                "switchboard_rpc_errors_total{callsign=\"DeviceInfo\",method=\"unknown\",code=\"-32601\"} 2"));
        assertTrue(text, text.contains(
                "switchboard_rpc_request_duration_seconds_bucket{callsign=\"DeviceInfo\",method=\"versions\",le=\"+Inf\"} "));
        assertTrue(text, text.contains("switchboard_rpc_request_duration_seconds_count{callsign=\"Controller\",method=\"metrics\"} "));
    }

    @Test
    public void metricsEndpointCanBeSwitchedOff() throws Exception {
        assertEquals(200, get("/metrics").statusCode());
        try {
            writeEtc("dev.switchboard.rpc.cfg", rpcConfiguration() + "metricsEndpoint=false\n");
            eventually(Duration.ofSeconds(15), () -> get("/metrics").statusCode() == 404);
            // JSON-RPC goes on
            assertTrue(client().call("Controller.1.metrics", null).json().has("result"));
        } finally {
            writeEtc("dev.switchboard.rpc.cfg", rpcConfiguration());
            eventually(Duration.ofSeconds(15), () -> get("/metrics").statusCode() == 200);
        }
    }

    private long requests(JsonRpcClient client, String method) throws Exception {
        for (JsonNode m : client.call("Controller.1.metrics@DeviceInfo", null).result()) {
            if (m.get("method").asText().equals(method)) {
                return m.get("requests").asLong();
            }
        }
        return 0;
    }

    private static JsonNode entry(JsonNode metrics, String callsign, String method) {
        for (JsonNode m : metrics) {
            if (m.get("callsign").asText().equals(callsign) && m.get("method").asText().equals(method)) {
                return m;
            }
        }
        throw new AssertionError("no entry " + callsign + "." + method + " in " + metrics);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
