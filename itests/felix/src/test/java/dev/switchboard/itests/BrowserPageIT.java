package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.sun.net.httpserver.HttpServer;

/**
 * A page of another origin, in a real headless Chromium (Debian's {@code chromium}), calls the host
 * as a browser console would: a preflighted POST with a Bearer token, a REST GET, a WebSocket whose
 * token is its subprotocol, and a WebSocket with a tampered token, which the browser sees refused.
 * The page reports each outcome to its own origin's server, which the test waits on.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BrowserPageIT extends TestOfficerSupport {

    private static final String SCRIPT = """
            const log = t => fetch('/result', {method: 'POST', body: t});
            const host = 'http://127.0.0.1:PORT', T = 'TOKEN';
            fetch(host + '/jsonrpc', {method: 'POST', headers: {'Authorization': 'Bearer ' + T, 'Content-Type': 'application/json'},
                body: JSON.stringify({jsonrpc: '2.0', id: 1, method: 'Fixture.1.echo', params: {text: 'page'}})})
              .then(r => r.json()).then(j => log('fetch ' + j.result), e => log('fetch failed ' + e));
            fetch(host + '/Service/Controller/Plugin/Fixture', {headers: {'Authorization': 'Bearer ' + T}})
              .then(r => r.json()).then(j => log('rest ' + j.callsign), e => log('rest failed ' + e));
            const ws = new WebSocket(host.replace('http', 'ws') + '/jsonrpc', [T]);
            ws.onopen = () => { log('ws protocol ' + (ws.protocol === T ? 'token' : ws.protocol));
                ws.send(JSON.stringify({jsonrpc: '2.0', id: 2, method: 'Fixture.1.echo', params: {text: 'socket'}})); };
            ws.onmessage = m => log('ws ' + JSON.parse(m.data).result);
            const bad = new WebSocket(host.replace('http', 'ws') + '/jsonrpc', [T.slice(0, -2) + 'xx']);
            bad.onopen = () => log('bad ws opened');
            bad.onerror = () => log('bad ws refused');
            """;

    @Test
    public void aPageOfAnotherOriginCallsOverHttpAndAWebSocketWithItsToken() throws Exception {
        configure("fixture", "Fixture");
        JsonRpcClient client = client();
        eventually(Duration.ofSeconds(30), () -> client.post(JsonRpcClient.request(1, "Fixture.1.versions", null),
                "Authorization", "Bearer " + GOOD).json().has("result"));
        String page = "<!doctype html><html><body><script>"
                + SCRIPT.replace("PORT", String.valueOf(port())).replace("TOKEN", GOOD) + "</script></body></html>";
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Set<String> results = ConcurrentHashMap.newKeySet();
        origin.createContext("/result", exchange -> {
            results.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        origin.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        origin.start();
        Set<String> expected = Set.of("fetch hello page from Fixture", "rest Fixture", "ws protocol token",
                "ws hello socket from Fixture", "bad ws refused");
        Process browser = chromium("http://127.0.0.1:" + origin.getAddress().getPort() + "/");
        try {
            eventually(Duration.ofSeconds(90), () -> results.containsAll(expected) || !browser.isAlive());
            assertTrue("the page reported " + results, results.containsAll(expected));
            assertEquals("nothing else: " + results, expected.size(), results.size());
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly); // renderer, GPU and zygote processes
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            origin.stop(0);
        }
    }

    /** Headless Chromium showing the page until it is ended. */
    private static Process chromium(String url) throws IOException {
        Path profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium");
        return new ProcessBuilder(System.getenv().getOrDefault("SWITCHBOARD_CHROMIUM", "/usr/bin/chromium"),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
