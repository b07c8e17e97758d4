package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * What a browser page needs: CORS headers on every answer, preflights answered or refused, no
 * TRACE, gzip bodies decoded, and a token passed as the WebSocket subprotocol echoed in the 101
 * (or refused with 403 when it is not valid).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BrowserAccessIT extends TestOfficerSupport {

    private static final String ORIGIN = "https://console.example:8443";
    private static final String ECHO = JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"cors\"}");

    private JsonRpcClient client;

    @Before
    public void bootPlugins() throws Exception {
        client = client();
        configure("fixture", "Fixture");
        eventually(Duration.ofSeconds(30), () -> client.post(ECHO, "Authorization", "Bearer " + GOOD)
                .json().has("result"));
    }

    @Test
    public void everyAnswerLetsAnyPageReadItByDefault() throws Exception {
        String ok = post("/jsonrpc", ECHO, "Authorization: Bearer " + GOOD);
        assertTrue(ok, ok.startsWith("HTTP/1.1 200"));
        assertTrue(ok, ok.contains("Access-Control-Allow-Origin: *"));
        for (String answer : new String[] {post("/jsonrpc", ECHO), post("/jsonrpc", "}{"), post("/jsonrpc/a/b", ECHO),
            exchange("GET /Service/Controller HTTP/1.1\r\nAuthorization: Bearer " + GOOD),
            exchange("GET /Service/Controller/Plugin/Nobody HTTP/1.1"), exchange("GET /jsonrpc HTTP/1.1")}) {
            assertTrue(answer, answer.contains("Access-Control-Allow-Origin: *"));
        }
    }

    @Test
    public void preflightsAreAnsweredForWhatIsServedAndRefusedOtherwise() throws Exception {
        String allowed = preflight("/jsonrpc", "POST", "authorization, content-type");
        assertTrue(allowed, allowed.startsWith("HTTP/1.1 204"));
        assertTrue(allowed, allowed.contains("Access-Control-Allow-Methods: OPTIONS, POST"));
        assertTrue(allowed, allowed.contains("Access-Control-Allow-Headers: Authorization, Content-Type"));
        assertTrue(allowed, allowed.contains("Access-Control-Max-Age: 3600"));
        assertTrue(allowed, allowed.contains("Access-Control-Allow-Origin: *"));
        String rest = preflight("/Service/Controller/Activate/Fixture", "PUT", "Authorization");
        assertTrue(rest, rest.startsWith("HTTP/1.1 204") && rest.contains("Access-Control-Allow-Methods: PUT, OPTIONS"));

        for (String refused : new String[] {preflight("/jsonrpc", "DELETE", "content-type"),
            preflight("/jsonrpc", "POST", "content-type, X-Secret"), preflight("/Service/Controller", "PUT", null),
            preflight("/jsonrpc", "TRACE", null)}) {
            assertTrue(refused, refused.startsWith("HTTP/1.1 403"));
            assertTrue(refused, refused.contains("preflight refused"));
            assertFalse(refused, refused.contains("Access-Control-Allow-Methods"));
        }
        String plain = exchange("OPTIONS /jsonrpc HTTP/1.1");
        assertTrue(plain, plain.startsWith("HTTP/1.1 204") && plain.contains("Allow: OPTIONS, POST"));
    }

    @Test
    public void configuredOriginsAloneMayReadAndABadListKeepsTheLastGoodOne() throws Exception {
        try {
            writeEtc("dev.switchboard.rpc.cfg", "enforce=true\ncorsOrigins = " + ORIGIN + ", http://localhost:3000\n");
            eventually(Duration.ofSeconds(15), () -> post("/jsonrpc", ECHO).contains("Access-Control-Allow-Origin: " + ORIGIN));
            String other = exchange("POST /jsonrpc HTTP/1.1\r\nOrigin: https://evil.example\r\nContent-Length: 2", "{}");
            assertFalse(other, other.contains("Access-Control-Allow-Origin"));
            assertTrue(other, other.contains("Vary: Origin"));
            assertTrue(exchange("OPTIONS /jsonrpc HTTP/1.1\r\nOrigin: https://evil.example\r\n"
                    + "Access-Control-Request-Method: POST").startsWith("HTTP/1.1 403"));

            writeEtc("dev.switchboard.rpc.cfg", "enforce=true\ncorsOrigins = https://*.example\nmaxBatchSize = 7\n");
            eventually(Duration.ofSeconds(15), () -> client.post("[" + ECHO + "," + ECHO + "," + ECHO + "," + ECHO + ","
                    + ECHO + "," + ECHO + "," + ECHO + "," + ECHO + "]", "Authorization", "Bearer " + GOOD)
                    .json().path("error").path("code").asInt() == -32600);
            assertTrue("the bad list is refused, the last good one kept",
                    post("/jsonrpc", ECHO).contains("Access-Control-Allow-Origin: " + ORIGIN));
        } finally {
            writeEtc("dev.switchboard.rpc.cfg", "enforce=true\n");
            eventually(Duration.ofSeconds(15), () -> post("/jsonrpc", ECHO).contains("Access-Control-Allow-Origin: *"));
        }
    }

    @Test
    public void traceIsNotServed() throws Exception {
        for (String path : new String[] {"/jsonrpc", "/jsonrpc/Fixture", "/Service/Controller"}) {
            String answer = exchange("TRACE " + path + " HTTP/1.1\r\nX-Echo-Me: secret");
            assertTrue(answer, answer.startsWith("HTTP/1.1 405"));
            assertFalse(answer, answer.contains("X-Echo-Me"));
        }
    }

    @Test
    public void gzipBodiesAreDecodedAndOtherEncodingsAre415() throws Exception {
        String[] auth = {"Authorization", "Bearer " + GOOD, "Content-Encoding", "gzip"};
        JsonRpcClient.Reply decoded = client.sendBytes("POST", "/jsonrpc", gzip(ECHO.getBytes(StandardCharsets.UTF_8)), auth);
        assertEquals(200, decoded.status());
        assertEquals("hello cors from Fixture", decoded.result().asText());

        JsonRpcClient.Reply brotli = client.sendBytes("POST", "/jsonrpc", ECHO.getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + GOOD, "Content-Encoding", "br");
        assertEquals(415, brotli.status());
        assertEquals("gzip", brotli.header("Accept-Encoding"));
        assertEquals(-32600, brotli.errorCode());

        JsonRpcClient.Reply corrupt = client.sendBytes("POST", "/jsonrpc", ECHO.getBytes(StandardCharsets.UTF_8), auth);
        assertEquals(400, corrupt.status());
        assertEquals(-32600, corrupt.errorCode());
        JsonRpcClient.Reply cut = client.sendBytes("POST", "/jsonrpc", java.util.Arrays.copyOf(
                gzip(ECHO.getBytes(StandardCharsets.UTF_8)), 20), auth);
        assertEquals(-32600, cut.errorCode());

        // two megabytes of spaces pack into a few kilobytes: the decoded size is what is bounded
        byte[] bomb = gzip((ECHO + " ".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8));
        assertTrue(bomb.length < 64 * 1024);
        JsonRpcClient.Reply tooLarge = client.sendBytes("POST", "/jsonrpc", bomb, auth);
        assertEquals(413, tooLarge.status());
        assertEquals(-32600, tooLarge.errorCode());
        assertEquals(200, client.post(ECHO, "Authorization", "Bearer " + GOOD).status());
    }

    @Test
    public void aTokenOfferedAsTheOnlySubprotocolIsEchoedAndUsed() throws Exception {
        JsonRpcClient.Socket socket = client.openWebSocket("", GOOD);
        assertEquals(GOOD, socket.subprotocol());
        socket.send(JsonRpcClient.request(1, "Fixture.1.whoami", null));
        JsonNode whoami = socket.next();
        assertEquals(whoami.toString(), GOOD, whoami.get("result").get("token").asText());
        socket.close();

        try (RawHttp raw = new RawHttp(port(), 0)) {
            String head = raw.upgrade("/jsonrpc", "Sec-WebSocket-Protocol: " + GOOD);
            assertTrue(head, head.startsWith("HTTP/1.1 101"));
            assertTrue(head, head.contains("Sec-WebSocket-Protocol: " + GOOD));
        }
        JsonRpcClient.Socket both = client.openWebSocket("", "json", GOOD);
        assertEquals("json", both.subprotocol());
        both.close();
    }

    @Test
    public void aTokenThatIsNotValidIsRefusedAtTheUpgrade() throws Exception {
        for (String[] attempt : new String[][] {{"?token=" + BAD}, {"?token="},
            {"", BAD}, {"", "notification", BAD}, {"/Fixture?token=" + BAD}}) {
            try (RawHttp raw = new RawHttp(port(), 0)) {
                String protocols = attempt.length > 1 ? String.join(", ", java.util.Arrays.copyOfRange(attempt, 1, attempt.length)) : null;
                String head = protocols == null ? raw.upgrade("/jsonrpc" + attempt[0])
                        : raw.upgrade("/jsonrpc" + attempt[0], "Sec-WebSocket-Protocol: " + protocols);
                assertTrue(String.join(" ", attempt) + ": " + head, head.startsWith("HTTP/1.1 403"));
            }
        }
        // a valid token that the ACL limits still connects: its calls are judged one by one
        JsonRpcClient.Socket limited = client.openWebSocket("?token=" + LIMITED);
        limited.send(JsonRpcClient.request(2, "Controller.1.activate", "{\"callsign\":\"Fixture\"}"));
        assertEquals(-32604, limited.next().get("error").get("code").asInt());
        limited.close();
        JsonRpcClient.Socket anonymous = client.openWebSocket("");
        anonymous.send(JsonRpcClient.request(3, "Fixture.1.echo", "{\"text\":\"x\"}"));
        assertEquals(-32604, anonymous.next().get("error").get("code").asInt());
        anonymous.close();
    }

    private String post(String path, String body, String... headerLines) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nOrigin: " + ORIGIN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length);
        for (String line : headerLines) {
            head.append("\r\n").append(line);
        }
        return exchange(head.toString(), body);
    }

    private String preflight(String path, String method, String headers) throws IOException {
        return exchange("OPTIONS " + path + " HTTP/1.1\r\nOrigin: " + ORIGIN + "\r\nAccess-Control-Request-Method: " + method
                + (headers == null ? "" : "\r\nAccess-Control-Request-Headers: " + headers));
    }

    private String exchange(String head) throws IOException {
        return exchange(head.contains("Origin:") ? head : head + "\r\nOrigin: " + ORIGIN, "");
    }

    private String exchange(String head, String body) throws IOException {
        return RawHttp.exchange(port(), insertHost(head), body.getBytes(StandardCharsets.UTF_8));
    }

    /** HTTP/1.1 needs a Host header. */
    private static String insertHost(String head) {
        int end = head.indexOf("\r\n");
        return end < 0 ? head + "\r\nHost: 127.0.0.1" : head.substring(0, end) + "\r\nHost: 127.0.0.1" + head.substring(end);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(data);
        }
        return out.toByteArray();
    }
}
