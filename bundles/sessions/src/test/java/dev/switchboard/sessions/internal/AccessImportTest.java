package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;
import dev.switchboard.sessions.api.UsageReport;

/**
 * An agent node places an order; a client node, with a database of its own, imports the access message
 * into a client-side product and serves its client adapter from it.
 */
class AccessImportTest {

    private static final String OFFER = "{\"type\":\"object\"}";
    private static final String ACCESS = "{\"type\":\"object\",\"required\":[\"username\",\"password\","
            + "\"serviceEndpointAddress\"]}";

    @TempDir
    Path agentDir;
    @TempDir
    Path clientDir;

    private Database agentDb;
    private Database clientDb;
    private Sessions agentNode;
    private Sessions clientNode;
    private PlacedOrder placed;
    private String clientProduct;

    @BeforeEach
    void twoNodes() throws Exception {
        agentDb = Database.open(TestDatabases.h2(agentDir), "", "", 2, 2000);
        clientDb = Database.open(TestDatabases.h2(clientDir), "", "", 2, 2000);
        agentNode = new SessionsPlugin(agentDb, 10_000, System::currentTimeMillis).sessions();
        clientNode = new SessionsPlugin(clientDb, 10_000, System::currentTimeMillis).sessions();

        ProductCreated sold = agentNode.createProduct(new NewProduct("proxy",
                agentNode.registerTemplate(TemplateKind.OFFER, OFFER).id(),
                agentNode.registerTemplate(TemplateKind.ACCESS, ACCESS).id(), true, "agent.example:1080",
                Map.of("port", "1080")));
        String offering = agentNode.createOffering(new NewOffering(sold.product().id(), "bytes", UnitType.BYTES, 1, 1,
                0, 0, 0, 0, 1000, 0, 0, 0)).id();
        placed = agentNode.placeOrder(offering, 100);
        clientProduct = clientNode.createProduct(new NewProduct("proxy bought",
                clientNode.registerTemplate(TemplateKind.OFFER, OFFER).id(),
                clientNode.registerTemplate(TemplateKind.ACCESS, ACCESS).id(), false, null, Map.of()))
                .product().id();
    }

    @AfterEach
    void close() {
        agentDb.close();
        clientDb.close();
    }

    @Test
    void anImportedOrderServesTheClientAdapterAndIsNotBilledHere() {
        Order imported = clientNode.importAccess(clientProduct, placed.accessMessage());
        assertThat(imported.status()).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(imported.offering()).isNull();
        assertThat(imported.clientKey()).isEqualTo(placed.order().clientKey());

        ClientApi client = clientNode.client(placed.order().clientKey(), placed.password());
        assertThat(client.getAccess()).isEqualTo(placed.accessMessage());
        SessionInfo session = client.startSession("c1");
        assertThat(session.side()).isEqualTo("client");
        // far beyond what the agent's deposit of 100 pays for: the agent bills, not the client node
        assertThat(client.updateSession("c1", new UsageReport(5_000, 50_000))).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(clientNode.runBilling()).isZero();
        assertThat(client.stopSession("c1", new UsageReport(6_000, 60_000))).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(clientNode.order(imported.id()).bytesDown()).isZero(); // agent-side totals only
        assertThat(clientNode.sessions(imported.id())).singleElement()
                .satisfies(s -> assertThat(s.bytesDown()).isEqualTo(60_000));

        assertThatThrownBy(() -> clientNode.client(placed.order().clientKey(), "wrong"))
                .isInstanceOfSatisfying(SessionsException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_PASSWORD));
    }

    @Test
    void importingAgainReplacesTheMessage() {
        Order first = clientNode.importAccess(clientProduct, placed.accessMessage());
        Map<String, Object> moved = new LinkedHashMap<>(placed.accessMessage());
        moved.put("serviceEndpointAddress", "agent.example:1081");
        Order again = clientNode.importAccess(clientProduct, moved);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(clientNode.client(placed.order().clientKey(), placed.password()).getAccess())
                .containsEntry("serviceEndpointAddress", "agent.example:1081");
    }

    @Test
    void badImportsAreRefusedAndChangeNothing() {
        Map<String, Object> message = placed.accessMessage();
        fails(() -> clientNode.importAccess("nope", message), Reason.UNKNOWN_PRODUCT);
        fails(() -> clientNode.importAccess(clientProduct, null), Reason.INVALID_PARAMETERS);
        fails(() -> clientNode.importAccess(clientProduct, without(message, "username")), Reason.INVALID_PARAMETERS);
        fails(() -> clientNode.importAccess(clientProduct, without(message, "password")), Reason.INVALID_PARAMETERS);
        fails(() -> clientNode.importAccess(clientProduct, with(message, "password", 42)), Reason.INVALID_PARAMETERS);
        fails(() -> clientNode.importAccess(clientProduct, with(message, "templateHash", "0".repeat(64))),
                Reason.INVALID_ACCESS_MESSAGE);
        fails(() -> clientNode.importAccess(clientProduct, without(message, "serviceEndpointAddress")),
                Reason.INVALID_ACCESS_MESSAGE);
        // an agent-side product sells; it does not import
        String agentProduct = (String) message.get("product");
        fails(() -> agentNode.importAccess(agentProduct, message), Reason.INVALID_PARAMETERS);
        // on the agent node the client key is a placed order's, not an imported one
        ProductCreated other = agentNode.createProduct(new NewProduct("bought here",
                agentNode.registerTemplate(TemplateKind.OFFER, OFFER).id(),
                agentNode.registerTemplate(TemplateKind.ACCESS, ACCESS).id(), false, null, Map.of()));
        fails(() -> agentNode.importAccess(other.product().id(), message), Reason.INVALID_PARAMETERS);

        assertThat(clientNode.orders(null, null)).isEmpty();
        assertThat(agentNode.orders(null, null)).hasSize(1);
    }

    private static Map<String, Object> without(Map<String, Object> message, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(message);
        copy.remove(key);
        return copy;
    }

    private static Map<String, Object> with(Map<String, Object> message, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(message);
        copy.put(key, value);
        return copy;
    }

    private static void fails(Runnable call, Reason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SessionsException.class,
                e -> assertThat(e.reason()).as(e.detail()).isEqualTo(reason));
    }
}
