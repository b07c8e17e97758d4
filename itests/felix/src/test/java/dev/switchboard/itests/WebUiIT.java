package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Plugins' web UIs on /Service/<Callsign>/UI/ over real HTTP: the folder the webui setting names,
 * the files a bundle carries beneath it, caching, and paths that try to leave the folder.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebUiIT extends SwitchboardTestSupport {

    private static final String SECRET = "secret-outside-the-folder";
    /** What a path that names nothing servable may get: refused as malformed, not found, too long, or closed. */
    private static final Set<String> REFUSED = Set.of("400", "404", "414", "431", "closed");

    private JsonRpcClient client;

    @Before
    public void bootPluginWithAWebUi() throws Exception {
        client = client();
        Path home = etc().getParent();
        Path ui = Files.createDirectories(home.resolve("webui/Fixture"));
        Files.writeString(ui.resolve("index.html"), "<!doctype html><title>ui</title><p>index from the folder</p>");
        Files.writeString(ui.resolve("app.js"), "console.log('app');");
        Files.writeString(ui.resolve("style.css"), "p { color: red }");
        Files.writeString(ui.resolve("data.bin"), "binary");
        Files.writeString(ui.resolve(".env"), SECRET);
        Files.createDirectories(ui.resolve("empty"));
        Files.writeString(Files.createDirectories(ui.resolve("sub")).resolve("index.html"), "sub index");
        Files.writeString(home.resolve("secret.txt"), SECRET);
        Files.createDirectories(home.resolve("outside"));
        Files.writeString(home.resolve("outside/page.html"), SECRET);
        if (!Files.exists(ui.resolve("secret"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(ui.resolve("secret"), home.resolve("secret.txt"));
            Files.createSymbolicLink(ui.resolve("out"), home.resolve("outside"));
            Files.createSymbolicLink(ui.resolve("inside.js"), ui.resolve("app.js"));
        }
        configure("fixture", "Fixture", "webui", "webui/Fixture");
        configure("fixture", "Missing", "webui", "webui/Missing");
        configure("fixture", "Plain");
        for (String callsign : new String[] {"Fixture", "Missing", "Plain"}) {
            awaitPlugin(callsign);
        }
    }

    @Test
    public void theFolderIsServedWithContentTypesAndIndexPages() throws Exception {
        JsonRpcClient.Reply index = get("/Service/Fixture/UI/");
        assertEquals(200, index.status());
        assertEquals("text/html;charset=utf-8", index.header("Content-Type").replace(" ", "").toLowerCase());
        assertTrue(index.body(), index.body().contains("index from the folder"));
        assertEquals("text/javascript;charset=utf-8", get("/Service/Fixture/UI/app.js").header("Content-Type").replace(" ", "").toLowerCase());
        assertTrue(get("/Service/Fixture/UI/style.css").header("Content-Type").startsWith("text/css"));
        assertEquals("application/octet-stream", get("/Service/Fixture/UI/data.bin").header("Content-Type"));
        assertEquals("nosniff", index.header("X-Content-Type-Options"));
        assertEquals("sub index", get("/Service/Fixture/UI/sub/").body());
        assertEquals("a link inside the folder is followed", "console.log('app');", get("/Service/Fixture/UI/inside.js").body());

        JsonRpcClient.Reply folderWithoutSlash = get("/Service/Fixture/UI/sub");
        assertEquals(301, folderWithoutSlash.status());
        assertEquals("/Service/Fixture/UI/sub/", folderWithoutSlash.header("Location"));
        JsonRpcClient.Reply uiWithoutSlash = get("/Service/Fixture/UI");
        assertEquals(301, uiWithoutSlash.status());
        assertEquals("/Service/Fixture/UI/", uiWithoutSlash.header("Location"));

        JsonRpcClient.Reply noListing = get("/Service/Fixture/UI/empty/");
        assertEquals(404, noListing.status());
        assertFalse(noListing.body().contains("index.html"));
        assertEquals(404, get("/Service/Fixture/UI/nothing.html").status());

        JsonRpcClient.Reply head = client.send("HEAD", "/Service/Fixture/UI/app.js", null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        JsonRpcClient.Reply post = client.send("POST", "/Service/Fixture/UI/app.js", "x");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD, OPTIONS", post.header("Allow"));
    }

    @Test
    public void browsersRevalidateWithEtagAndLastModified() throws Exception {
        JsonRpcClient.Reply first = get("/Service/Fixture/UI/app.js");
        String etag = first.header("ETag");
        assertNotNull(etag);
        assertNotNull(first.header("Last-Modified"));
        assertEquals("no-cache", first.header("Cache-Control"));
        assertEquals(304, client.send("GET", "/Service/Fixture/UI/app.js", null, "If-None-Match", etag).status());
        assertEquals(304, client.send("GET", "/Service/Fixture/UI/app.js", null, "If-Modified-Since",
                first.header("Last-Modified")).status());
        assertEquals(200, client.send("GET", "/Service/Fixture/UI/app.js", null, "If-None-Match", "\"other\"").status());

        Path file = etc().getParent().resolve("webui/Fixture/style.css");
        String before = get("/Service/Fixture/UI/style.css").header("ETag");
        Files.writeString(file, "p { color: blue; font-weight: bold }");
        JsonRpcClient.Reply changed = client.send("GET", "/Service/Fixture/UI/style.css", null, "If-None-Match", before);
        assertEquals("a file the operator replaced is sent again", 200, changed.status());
        assertTrue(changed.body().contains("blue"));
    }

    @Test
    public void filesCarriedByABundleAreServedBeneathTheFolder() throws Exception {
        assertEquals("carried in the bundle\n", get("/Service/Fixture/UI/bundled.txt").body());
        assertTrue(get("/Service/Fixture/UI/bundled.txt").header("Content-Type").startsWith("text/plain"));
        assertTrue("the folder's index.html wins", get("/Service/Fixture/UI/").body().contains("index from the folder"));
        assertEquals(304, client.send("GET", "/Service/Fixture/UI/bundled.txt", null, "If-None-Match",
                get("/Service/Fixture/UI/bundled.txt").header("ETag")).status());
    }

    @Test
    public void pathsThatTryToLeaveTheFolderAreNotServed() throws Exception {
        String[] attacks = {"/Service/Fixture/UI/../../secret.txt", "/Service/Fixture/UI/%2e%2e/%2e%2e/secret.txt",
            "/Service/Fixture/UI/%2E%2E/%2E%2E/secret.txt", "/Service/Fixture/UI/..%2f..%2fsecret.txt",
            "/Service/Fixture/UI/sub/../../../secret.txt", "/Service/Fixture/UI//etc/passwd",
            "/Service/Fixture/UI/%2fetc%2fpasswd", "/Service/Fixture/UI/secret", "/Service/Fixture/UI/out/page.html",
            "/Service/Fixture/UI/.env", "/Service/Fixture/UI/%2eenv", "/Service/Fixture/UI/sub/%00.html",
            "/Service/Fixture/UI/" + "a/".repeat(3000) + "index.html", "/Service/Fixture/UI/" + "x".repeat(600),
            "/Service/Fixture/UI/..\\..\\secret.txt"};
        for (String attack : attacks) {
            String answer = RawHttp.exchange(port(), "GET " + attack + " HTTP/1.1\r\nHost: 127.0.0.1");
            String status = answer.isEmpty() ? "closed" : answer.substring(9, 12);
            assertTrue(attack + " answered " + answer, REFUSED.contains(status));
            assertFalse(attack, answer.contains(SECRET));
            assertFalse(attack, answer.contains("root:"));
        }
        assertEquals(200, get("/Service/Fixture/UI/").status());
    }

    @Test
    public void aMissingFolderOrNoWebUiIs404() throws Exception {
        JsonRpcClient.Reply missing = get("/Service/Missing/UI/");
        assertEquals(404, missing.status());
        assertEquals(-32600, missing.errorCode());
        assertEquals(404, get("/Service/Plain/UI/").status());
        assertEquals(404, get("/Service/Nobody/UI/").status());

        client.post(JsonRpcClient.request(1, "Controller.1.deactivate", "{\"callsign\":\"Fixture\"}"));
        try {
            eventually(Duration.ofSeconds(15), () -> get("/Service/Fixture/UI/").status() == 404);
        } finally {
            client.post(JsonRpcClient.request(1, "Controller.1.activate", "{\"callsign\":\"Fixture\"}"));
            awaitPlugin("Fixture");
        }
        assertEquals(200, get("/Service/Fixture/UI/").status());
    }

    private JsonRpcClient.Reply get(String path) throws Exception {
        return client.send("GET", path, null);
    }
}
