package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;
import dev.switchboard.sessions.api.UsageReport;

/** The sessions shell commands over a real plugin on H2, as a shell calls them. */
class SessionsCommandsTest {

    @TempDir
    Path dir;

    private Database database;
    private Sessions sessions;
    private final SessionsCommands commands = new SessionsCommands();
    private String product;
    private PlacedOrder active;
    private PlacedOrder pending;

    @BeforeEach
    void setUp() throws Exception {
        database = Database.open(TestDatabases.h2(dir), "", "", 2, 2000);
        sessions = new SessionsPlugin(database, 10_000, System::currentTimeMillis).sessions();
        String offer = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}").id();
        String access = sessions.registerTemplate(TemplateKind.ACCESS, "{\"required\":[\"username\"]}").id();
        ProductCreated created = sessions.createProduct(new NewProduct("proxy", offer, access, true, "e:1", Map.of()));
        product = created.product().id();
        String offering = sessions.createOffering(new NewOffering(product, "bytes", UnitType.BYTES, 1000, 2, 5, 0, 0,
                0, 1_000_000, 0, 0, 0)).id();
        active = sessions.placeOrder(offering, 100_000);
        pending = sessions.placeOrder(offering, 50_000);
        AgentApi agent = sessions.agent(product, created.credential());
        agent.startSession(active.order().clientKey(), "conn-1", "10.0.0.7");
        agent.updateSession(active.order().clientKey(), "conn-1", new UsageReport(1500, 2600));
        commands.addSessions(sessions, Map.of("callsign", "Sessions"));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private static String row(String table, String id) {
        return table.lines().filter(line -> line.startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id + " in\n" + table));
    }

    @Test
    void ordersAreATableFilteredByProductAndStatusInEitherOrder() {
        String all = commands.orders();
        List<String> lines = all.lines().toList();
        assertThat(lines.get(0)).matches("Order +\\| Product +\\| Client +\\| Status +\\| Deposit \\| Paid \\| Cost \\| Created");
        assertThat(lines.get(1)).matches("-+(\\+-+){7}");
        int column = lines.get(0).indexOf('|');
        assertThat(lines).allSatisfy(line -> assertThat(line.indexOf(line.startsWith("-") ? '+' : '|')).isEqualTo(column));
        assertThat(lines).hasSize(4);
        assertThat(row(all, active.order().id())).contains("| active ", "| " + product + " ", "| 100000 ");
        assertThat(row(all, pending.order().id())).contains("| activating ");

        assertThat(commands.orders("active").lines()).hasSize(3).anyMatch(l -> l.startsWith(active.order().id()));
        assertThat(commands.orders(product, "ACTIVATING").lines()).hasSize(3)
                .anyMatch(l -> l.startsWith(pending.order().id()));
        assertThat(commands.orders("terminated", product).lines()).hasSize(2);
        assertThat(commands.orders("no-such-product").lines()).hasSize(2);
        assertThat(commands.orders("active", "pending")).startsWith("error: ");
    }

    @Test
    void usageShowsBytesSecondsUnitsAndCostPerOrder() {
        String usage = commands.usage(product);
        assertThat(usage.lines().findFirst().orElseThrow())
                .matches("Order +\\| Status +\\| Bytes up \\| Bytes down \\| Seconds \\| Units \\| Cost");
        // 4100 bytes in units of 1000 bytes: 5 units at 2, plus a setup price of 5
        assertThat(row(usage, active.order().id())).matches(".*\\| active +\\| 1500 +\\| 2600 +\\| \\d+ +\\| 5 +\\| 15");
        assertThat(row(usage, pending.order().id())).matches(".*\\| 0 +\\| 0 +\\| 0 +\\| 0 +\\| 5");
    }

    @Test
    void sessionsOfAnOrder() {
        String table = commands.sessions(active.order().id());
        assertThat(table.lines().findFirst().orElseThrow()).matches(
                "Session +\\| Side +\\| Connection \\| Client address \\| Started +\\| Stopped \\| Bytes up \\| Bytes down \\| Seconds");
        assertThat(table.lines()).hasSize(3);
        assertThat(table.lines().skip(2).findFirst().orElseThrow())
                .matches(".* \\| agent \\| conn-1 +\\| 10\\.0\\.0\\.7 +\\| \\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z \\| - +\\| 1500 +\\| 2600 .*");
        assertThat(commands.sessions(pending.order().id()).lines()).hasSize(2);
        assertThat(commands.sessions("no-such-order")).isEqualTo("error: no order no-such-order");
    }

    @Test
    void completionCandidates() {
        assertThat(commands.orderIds()).containsExactly(active.order().id(), pending.order().id());
        assertThat(commands.productIds()).containsExactly(product);
    }

    @Test
    void aSecondInstanceAddsACallsignColumnAndNoInstanceIsAnError() {
        commands.addSessions(sessions, Map.of("callsign", "Other"));
        String both = commands.orders("active");
        assertThat(both.lines().findFirst().orElseThrow()).startsWith("Callsign | Order ");
        assertThat(both.lines()).hasSize(4);
        commands.removeSessions(sessions, Map.of("callsign", "Other"));
        commands.removeSessions(sessions, Map.of("callsign", "Sessions"));
        assertThat(commands.orders()).isEqualTo("error: no Sessions instance is active");
        assertThat(commands.sessions(active.order().id())).isEqualTo("error: no Sessions instance is active");
    }

    @Test
    void aFailingCallIsAnErrorLine() {
        database.close();
        assertThat(commands.orders()).isEqualTo("error: database error");
    }
}
