package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The operator console's Plugins and Health pages in a real headless Chromium, against a running
 * distribution: what the page shows after an action, after another client's change, after a refusal,
 * and after the host went away and came back.
 */
public class ConsolePluginsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Markup in a callsign and a configuration value: shown as text, never run. */
    private static final String EVIL_CALLSIGN = "<img src=x onerror=window.pwned=1>";
    private static final String EVIL_VALUE = "<script>window.pwned=2</script><b>bold</b>";

    private static Distribution host;
    private static Distribution.SessionsHost rpc;

    @Rule
    public TestName name = new TestName();
    private ConsoleBrowser browser;

    @BeforeClass
    public static void startHost() throws Exception {
        host = Distribution.copy();
        host.writeEtc("dev.switchboard.deviceinfo-Box.cfg", "callsign = Box\nnote = " + EVIL_VALUE + "\n");
        host.writeEtc("dev.switchboard.deviceinfo-Evil.cfg", "callsign = " + EVIL_CALLSIGN + "\n");
        host.writeEtc("dev.switchboard.sessions-Sessions.cfg", "callsign = Sessions\nstartmode = Activated\npoolSize = 8\n");
        rpc = host.startWithSessions(Distribution.freePort());
    }

    @AfterClass
    public static void stopHost() throws InterruptedException {
        if (host != null) {
            host.stop();
            host.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Before
    public void openBrowser() {
        browser = ConsoleBrowser.open();
    }

    @After
    public void closeBrowser() throws Exception {
        if (browser != null) {
            browser.finish("plugins-" + name.getMethodName());
        }
    }

    private void openConsole(boolean readOnly) throws Exception {
        browser.go(ConsoleBrowser.consoleUrl(host, readOnly));
        browser.awaitText("#connection", "Connected");
        browser.awaitText("tr[data-callsign='Sessions'] .state", "activated");
    }

    /** The state as the host has it, in lower case (R5 spells "Activated"). */
    private String state(String callsign) throws Exception {
        return rpc.rpc("Controller.1.status@" + callsign, null).result().get(0).get("state").asText()
                .toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    public void aPluginDeactivatedFromThePageIsDeactivatedInTheHostAndShown() throws Exception {
        openConsole(false);
        assertFalse("the token left the address bar", browser.driver.getCurrentUrl().contains("token"));
        browser.clickConfirming("tr[data-callsign='Box'] button.toggle");
        browser.awaitText("tr[data-callsign='Box'] .state", "deactivated");
        assertEquals("deactivated", state("Box"));
        browser.awaitText("tr[data-callsign='Box'] .reason", "Requested");
        browser.awaitText("tr[data-callsign='Box'] button.toggle", "Activate");
        browser.clickConfirming("tr[data-callsign='Box'] button.toggle");
        browser.awaitText("tr[data-callsign='Box'] .state", "activated");
        assertEquals("activated", state("Box"));
    }

    @Test
    public void aChangeByAnotherClientShowsWithoutAReload() throws Exception {
        openConsole(false);
        browser.script("window.sameDocument = true;");
        assertTrue(rpc.rpc("Controller.1.deactivate", JSON.createObjectNode().put("callsign", "Box")).json().has("result"));
        browser.awaitText("tr[data-callsign='Box'] .state", "deactivated");
        assertTrue(rpc.rpc("Controller.1.activate", JSON.createObjectNode().put("callsign", "Box")).json().has("result"));
        browser.awaitText("tr[data-callsign='Box'] .state", "activated");
        assertEquals(true, browser.script("return window.sameDocument"));
    }

    @Test
    public void aValueOfTheWrongTypeIsRefusedWithThePluginsReasonNextToTheField() throws Exception {
        openConsole(false);
        browser.click("tr[data-callsign='Sessions'] button.open");
        browser.await("the Sessions configuration shown", () -> !browser.driver.findElements(
                org.openqa.selenium.By.cssSelector("input[name='poolSize']")).isEmpty());
        var poolSize = browser.find("input[name='poolSize']");
        poolSize.clear();
        poolSize.sendKeys("many");
        browser.click("tr.details:not([hidden]) button.save");
        browser.await("the refusal next to poolSize", () -> browser.text("label:has(input[name='poolSize']) .field-error")
                .contains("is not a whole number"));
        browser.awaitText("#notice", "poolSize = \"many\" is not a whole number");
        JsonNode kept = rpc.rpc("Controller.1.configuration@Sessions", null).result();
        assertEquals("8", kept.get("poolSize").asText());
    }

    @Test
    public void markupInCallsignsAndValuesIsShownAsText() throws Exception {
        openConsole(false);
        browser.await("the callsign with markup listed as text", () -> browser.text("#plugins tbody").contains(EVIL_CALLSIGN));
        browser.click("tr[data-callsign='Box'] button.open");
        browser.await("the value with markup shown as text",
                () -> EVIL_VALUE.equals(browser.script("return document.querySelector(\"input[name='note']\").value")));
        assertEquals(0L, browser.script("return document.querySelectorAll('#plugins img, #plugins script, #plugins b').length"));
    }

    @Test
    public void theReadOnlyRoleSeesDisabledButtonsAndAForcedCallIsRefused() throws Exception {
        openConsole(true);
        browser.await("the buttons disabled", () -> !browser.find("tr[data-callsign='Box'] button.toggle").isEnabled());
        browser.script("document.querySelector(\"tr[data-callsign='Box'] button.toggle\").disabled = false;");
        browser.clickConfirming("tr[data-callsign='Box'] button.toggle");
        browser.awaitText("#notice", "-32604");
        assertEquals("activated", state("Box"));
    }

    @Test
    public void withoutATokenThePageSaysHowToGetOne() throws Exception {
        browser.go("http://127.0.0.1:" + host.port() + "/Service/Controller/UI/");
        browser.awaitText("#connection", "No token");
        assertTrue(browser.text("#connection").contains("bin/switchboard console"));
        assertTrue(browser.find("#plugins").getText().isEmpty());
    }

    @Test
    public void anExpiredTokenSaysSoAndHowToGetANewOne() throws Exception {
        rpc.rpc("Controller.1.configuration@SecurityAgent", JSON.createObjectNode().put("tokenLifetimeSeconds", 1));
        String[] url = {null};
        try {
            // the agent restarts on its new configuration: until then tokens have the old lifetime
            browser.await("a token that lives a second", () -> {
                url[0] = ConsoleBrowser.consoleUrl(host, false);
                return lifetime(url[0]) <= 1;
            });
            browser.await("the host refusing the token as expired", () -> !rpc.rpc("SecurityAgent.1.validate",
                    JSON.createObjectNode().put("token", token(url[0]))).result().asBoolean());
        } finally {
            rpc.rpc("Controller.1.configuration@SecurityAgent", JSON.createObjectNode().put("tokenLifetimeSeconds", 86400));
            browser.await("tokens that live a day again", () -> lifetime(ConsoleBrowser.consoleUrl(host, false)) > 1);
        }
        browser.go(url[0]);
        browser.awaitText("#connection", "Your token expired");
        assertTrue(browser.text("#connection").contains("bin/switchboard console"));
        assertNull("the refused token is forgotten", browser.script("return sessionStorage.getItem('switchboard.console.token')"));
    }

    /** Seconds from the token's issue to its expiry, as its claims say. */
    private static long lifetime(String consoleUrl) throws Exception {
        JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(token(consoleUrl).split("\\.")[1]));
        return claims.get("exp").asLong() - claims.get("iat").asLong();
    }

    private static String token(String consoleUrl) {
        return consoleUrl.substring(consoleUrl.indexOf("#token=") + "#token=".length());
    }

    @Test
    public void aHostRestartWhileThePageIsOpenIsShownAndCaughtUp() throws Exception {
        openConsole(false);
        host.stop();
        host.process().waitFor(30, TimeUnit.SECONDS);
        browser.awaitText("#connection", "lost");
        // changed while the page could not hear of it: it shows once it reconnected
        host.writeEtc("dev.switchboard.deviceinfo-Late.cfg", "callsign = Late\n");
        rpc = host.startWithSessions(host.port());
        browser.awaitText("#connection", "Connected");
        browser.awaitText("tr[data-callsign='Late'] .state", "activated");
        List<String> errors = browser.consoleErrors().stream()
                .filter(e -> !e.contains("/jsonrpc") && !e.contains("ERR_CONNECTION_REFUSED")).toList();
        assertEquals("console errors besides the lost connection", List.of(), errors);
    }

    @Test
    public void theHealthPageShowsVersionDatabaseAndPlugins() throws Exception {
        openConsole(false);
        browser.click("nav button[data-page='health']");
        browser.awaitText("#health .database .level", "OK");
        assertTrue(browser.text("#health .version").startsWith("0.1.0"));
        assertTrue(browser.text("#health .plugins-health").toLowerCase(java.util.Locale.ROOT).contains("sessions: activated"));
        assertEquals(List.of(), browser.consoleErrors());
    }
}
