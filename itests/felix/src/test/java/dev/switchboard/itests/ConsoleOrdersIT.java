package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestName;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operator console's Orders page in a real headless Chromium, against an agent node selling a SOCKS5
 * proxy: usage that grows on the page while curl fetches through the proxy, a termination from the page
 * that cuts curl, payments the host refuses, an order placed from the page.
 */
public class ConsoleOrdersIT {

    /** Far more than curl reads at {@link #RATE} in a test: a transfer ends with a cut or when the test stops it. */
    private static final long SIZE = 1L << 30;
    private static final String RATE = "200k";
    private static final String EVIL_PRODUCT = "<img src=x onerror=window.pwned=1>proxy";

    private static final ExecutorService threads = Executors.newCachedThreadPool();
    private static FileServer files;
    private static SocksAgentNode agent;

    @Rule
    public TestName name = new TestName();
    private ConsoleBrowser browser;

    @BeforeClass
    public static void agentNode() throws Exception {
        files = new FileServer();
        agent = SocksAgentNode.start();
    }

    @AfterClass
    public static void stopAgentNode() throws Exception {
        threads.shutdownNow();
        if (agent != null) {
            agent.close();
        }
        if (files != null) {
            files.close();
        }
    }

    @Before
    public void openBrowser() {
        browser = ConsoleBrowser.open();
    }

    @After
    public void closeBrowser() throws Exception {
        if (browser != null) {
            browser.finish("orders-" + name.getMethodName());
        }
    }

    private void openOrders(boolean readOnly) throws Exception {
        browser.go(ConsoleBrowser.consoleUrl(agent.distribution, readOnly));
        browser.awaitText("#connection", "Connected");
        browser.click("nav button[data-page='orders']");
    }

    private String row(SessionsOrder order) {
        return "tr[data-order='" + order.order() + "']";
    }

    /** A new order is "activating" until its first connection: listed, whatever its status. */
    private void awaitListed(SessionsOrder order) throws Exception {
        browser.await("order " + order.order() + " listed", () -> !browser.text(row(order) + " .status").isEmpty());
    }

    private Future<Curl.Result> slowDownload(SessionsOrder order) {
        String url = files.url(SIZE, UUID.randomUUID().toString());
        return threads.submit(() -> Curl.through(agent.proxyPort).credentials(order.clientKey(), order.password())
                .limitRate(RATE).get(url, null));
    }

    /** Intervals the chart has sampled; a bar is drawn for the last 30 only, so their count stops growing. */
    private long intervals() {
        return Long.parseLong((String) browser.script(
                "return document.querySelector('.order-detail svg.usage').getAttribute('data-intervals')"));
    }

    private long bars() {
        return (Long) browser.script("return document.querySelectorAll('.order-detail svg.usage rect.down[height]:not([height=\"0\"])').length");
    }

    @Test
    public void anOrdersUsageChartGrowsWhileTrafficFlowsAndTerminatingItFromThePageCutsTheClient() throws Exception {
        SessionsOrder order = agent.order(1L << 40);
        openOrders(false);
        awaitListed(order);
        browser.click(row(order) + " button.link");
        browser.awaitText(".order-detail h3", order.order());
        Future<Curl.Result> download = slowDownload(order);
        browser.await("the live connection listed", () -> browser.text("#orders table.live").contains(order.order()));
        browser.await("bars of usage drawn", () -> bars() >= 2);
        long first = intervals();
        String total = browser.text(".usage-total");
        browser.await("more intervals and a larger total as the download goes on",
                () -> intervals() > first && !browser.text(".usage-total").equals(total));
        browser.screenshot("orders-usage-growing");

        browser.clickConfirming(row(order) + " button.terminate");
        Curl.Result curl = download.get(120, TimeUnit.SECONDS);
        assertNotEquals("curl was cut off: " + curl, 0, curl.exit());
        browser.awaitText(row(order) + " .status", "terminated");
        browser.await("the connection gone from the live list", () -> !browser.text("#orders table.live").contains(order.order()));
        assertEquals("terminated", agent.order(order.order()).get("status").asText());
    }

    @Test
    public void paymentsThatAreNegativeOrNotNumbersAreRefusedWithTheHostsReason() throws Exception {
        SessionsOrder order = agent.order(1000);
        openOrders(false);
        awaitListed(order);
        for (String bad : new String[] {"-5", "ten", "1.5"}) {
            browser.find(row(order) + " input.amount").clear();
            browser.find(row(order) + " input.amount").sendKeys(bad);
            browser.clickConfirming(row(order) + " button.pay");
            browser.awaitText("#notice", "payment refused");
            assertTrue(browser.text("#notice"), browser.text("#notice").contains("-32602"));
            browser.script("document.getElementById('notice').textContent = ''");
        }
        assertEquals(0, agent.order(order.order()).get("paymentsReceived").asLong());
        browser.find(row(order) + " input.amount").clear();
        browser.find(row(order) + " input.amount").sendKeys("7");
        browser.clickConfirming(row(order) + " button.pay");
        browser.awaitText(row(order) + " .payments", "7");
        assertEquals(7, agent.order(order.order()).get("paymentsReceived").asLong());
    }

    @Test
    public void anOrderPlacedFromThePageShowsItsAccessMessageOnceAndProductNamesAsText() throws Exception {
        SessionsOrder.Product product = SessionsOrder.createProduct(agent.host::call, EVIL_PRODUCT, "127.0.0.1:1");
        String offering = SessionsOrder.createOffering(agent.host::call, product, 1000);
        openOrders(false);
        browser.find("#new-offering").sendKeys(offering);
        browser.find("#new-deposit").sendKeys("500");
        browser.clickConfirming("#place-order");
        browser.awaitText(".access-message", "\"username\"");
        String message = browser.text(".access-message");
        JsonNode access = SessionsOrder.JSON.readTree(message);
        String order = agent.host.call("orders", SessionsOrder.JSON.createObjectNode().put("product", product.id()))
                .result().get(0).get("id").asText();
        browser.awaitText("tr[data-order='" + order + "'] .product", EVIL_PRODUCT);
        browser.awaitText("tr[data-product='" + product.id() + "'] .name", EVIL_PRODUCT);
        assertEquals(agent.order(order).get("clientKey").asText(), access.get("username").asText());
        assertTrue(browser.find(".access button.copy").isDisplayed());
        browser.click(".access button:not(.copy)");
        assertFalse("the password is not kept on the page", browser.text("body").contains(access.get("password").asText()));
        assertEquals(0L, browser.script("return document.querySelectorAll('#orders img').length"));
    }

    @Test
    public void theReadOnlyRoleSeesTheOrdersWithEveryActionDisabled() throws Exception {
        SessionsOrder order = agent.order(1000);
        openOrders(true);
        awaitListed(order);
        assertFalse(browser.find(row(order) + " button.terminate").isEnabled());
        assertFalse(browser.find(row(order) + " button.pay").isEnabled());
        assertFalse(browser.find("#place-order").isEnabled());
        browser.script("document.querySelector(arguments[0]).disabled = false;", row(order) + " button.suspend");
        browser.clickConfirming(row(order) + " button.suspend");
        browser.awaitText("#notice", "-32604");
        assertEquals("activating", agent.order(order.order()).get("status").asText());
    }
}
