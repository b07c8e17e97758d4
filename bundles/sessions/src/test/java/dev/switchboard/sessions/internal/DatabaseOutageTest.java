package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;
import dev.switchboard.sessions.api.UsageReport;

/**
 * The database goes away (an H2 TCP server is stopped) and comes back: calls fail clearly while
 * it is gone and work again afterwards, without restarting anything.
 */
class DatabaseOutageTest {

    @TempDir
    Path dir;

    @Test
    void callsFailClearlyWhileTheDatabaseIsGoneAndWorkAgainAfter() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        int port = server.getPort();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/sessions";
        Database database = Database.open(url, "sa", "sa", 2, 1000);
        try {
            Sessions sessions = new SessionsPlugin(database, 10_000, System::currentTimeMillis).sessions();
            String offer = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}").id();
            String access = sessions.registerTemplate(TemplateKind.ACCESS, "{\"required\":[\"username\"]}").id();
            ProductCreated product = sessions.createProduct(new NewProduct("p", offer, access, true, "e:1", Map.of()));
            String offering = sessions.createOffering(new NewOffering(product.product().id(), "o", UnitType.BYTES, 1,
                    1, 0, 0, 0, 0, 1_000_000, 0, 0, 0)).id();
            PlacedOrder order = sessions.placeOrder(offering, 1_000_000);
            AgentApi agent = sessions.agent(product.product().id(), product.credential());
            agent.startSession(order.order().clientKey(), "c1", null);
            agent.updateSession(order.order().clientKey(), "c1", new UsageReport(10, 10));

            server.stop();
            database.evictAll();
            assertThatThrownBy(() -> agent.updateSession(order.order().clientKey(), "c1", new UsageReport(20, 20)))
                    .isInstanceOfSatisfying(SessionsException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.DATABASE_UNAVAILABLE);
                        assertThat(RpcErrors.of(e).code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE.code());
                    });
            assertThatThrownBy(() -> sessions.order(order.order().id())).isInstanceOf(SessionsException.class);

            server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(),
                    "-ifNotExists").start();
            assertThat(agent.updateSession(order.order().clientKey(), "c1", new UsageReport(20, 20)))
                    .isEqualTo(ServiceStatus.ACTIVE);
            assertThat(sessions.order(order.order().id()).units()).isEqualTo(40);
        } finally {
            database.close();
            server.stop();
        }
    }

    @Test
    void aHostStartedBeforeItsDatabaseServesOnceTheDatabaseIsThere() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Database database = Database.open("jdbc:h2:tcp://127.0.0.1:" + port + "/sessions", "sa", "sa", 2, 500);
        Server server = null;
        try {
            Sessions sessions = new SessionsPlugin(database, 10_000, System::currentTimeMillis).sessions();
            assertThatThrownBy(() -> sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}"))
                    .isInstanceOfSatisfying(SessionsException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.DATABASE_UNAVAILABLE));

            server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(),
                    "-ifNotExists").start();
            // the schema is created on the first call that reaches the database
            String offer = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}").id();
            assertThat(sessions.orders(null, null)).isEmpty();
            assertThat(offer).isNotBlank();
        } finally {
            database.close();
            if (server != null) {
                server.stop();
            }
        }
    }

    @Test
    void aDatabaseThatAnswersWithTheWrongSchemaStopsTheStart() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/sessions";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "sa");
                java.sql.Statement s = c.createStatement()) {
            // a table of the same name that is not ours: the migration cannot create its own
            s.execute("CREATE TABLE sb_template (something INT)");
        }
        try {
            assertThatThrownBy(() -> Database.open(url, "sa", "sa", 2, 1000))
                    .isInstanceOf(java.sql.SQLException.class);
        } finally {
            server.stop();
        }
    }
}
