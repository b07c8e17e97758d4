package dev.switchboard.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain JSON-RPC client over real HTTP and WebSocket connections (the JDK's java.net.http). */
public final class JsonRpcClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public JsonRpcClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Reply(int status, String body, HttpHeaders headers) {

        public Reply(int status, String body) {
            this(status, body, HttpHeaders.of(java.util.Map.of(), (name, value) -> true));
        }

        /** The response header's value, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        /** The JSON-RPC error code, failing when the reply is not an error. */
        public int errorCode() {
            JsonNode error = json().get("error");
            if (error == null) {
                throw new AssertionError("expected an error, got " + body);
            }
            return error.get("code").asInt();
        }

        public JsonNode result() {
            JsonNode json = json();
            if (!json.has("result")) {
                throw new AssertionError("expected a result, got " + body);
            }
            return json.get("result");
        }
    }

    public Reply send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        return sendBytes(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Sends {@code body} as it is (compressed, say); the reply keeps the response's headers. */
    public Reply sendBytes(String method, String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response.headers());
    }

    public Reply post(String body, String... headers) throws IOException, InterruptedException {
        return send("POST", "/jsonrpc", body, headers);
    }

    /** Calls {@code method} with {@code params} (JSON text or null) and answers the reply. */
    public Reply call(String method, String params) throws IOException, InterruptedException {
        return post(request(1, method, params));
    }

    public static String request(Object id, String method, String params) {
        String idJson = id instanceof String s ? '"' + s + '"' : String.valueOf(id);
        return "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    public Socket openWebSocket(String query, String... subprotocols) {
        return openWebSocketAt("/jsonrpc" + query, subprotocols);
    }

    /** A WebSocket on {@code path} (with its query); fails as the JDK does when the upgrade is refused. */
    public Socket openWebSocketAt(String path, String... subprotocols) {
        Socket socket = new Socket();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            String[] rest = java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length);
            builder.subprotocols(subprotocols[0], rest);
        }
        socket.webSocket = builder.buildAsync(URI.create(base.replace("http", "ws") + path), socket).join();
        return socket;
    }

    /** One WebSocket connection; every text message received is queued. */
    public static final class Socket implements WebSocket.Listener {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket webSocket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        public void ping(String payload) {
            webSocket.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))).join();
        }

        public String subprotocol() {
            return webSocket.getSubprotocol();
        }

        public void send(String text) {
            webSocket.sendText(text, true).join();
        }

        public void sendBinary(byte[] bytes) {
            webSocket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        }

        /** The next message, failing after 10 s. */
        public JsonNode next() throws InterruptedException, IOException {
            String message = received.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no WebSocket message within 10 s");
            }
            return JSON.readTree(message);
        }

        /** The next message whose id or method is as given, skipping others. */
        public JsonNode nextMatching(String field, String value) throws InterruptedException, IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                JsonNode message = next();
                if (message.has(field) && message.get(field).asText().equals(value)) {
                    return message;
                }
            }
            throw new AssertionError("no message with " + field + "=" + value);
        }

        public boolean isOpen() {
            return !webSocket.isInputClosed();
        }

        public void close() {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }
}
