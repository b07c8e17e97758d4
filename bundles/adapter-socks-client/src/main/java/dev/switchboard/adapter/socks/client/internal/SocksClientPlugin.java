package dev.switchboard.adapter.socks.client.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.socks.relay.AdapterConfig;
import dev.switchboard.socks.relay.Gate;
import dev.switchboard.socks.relay.Refusal;
import dev.switchboard.socks.relay.SessionReporter;
import dev.switchboard.socks.relay.SocksServer;
import dev.switchboard.socks.relay.Tunnel;
import dev.switchboard.socks.relay.UsageMeter;
import dev.switchboard.api.config.LogText;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.UsageReport;

/**
 * The client side of the SOCKS5 proxy product: a SOCKS5 listener on 127.0.0.1, without
 * authentication, that opens every CONNECT through the agent's proxy named in the order's access
 * message, with the order's credentials, and reports the order's usage to this node's Sessions service.
 * The message is read again when the agent cannot be reached: a re-imported one is followed.
 */
@Component(service = Plugin.class, configurationPid = ClientSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = SocksClientPlugin.Config.class, factory = true)
public class SocksClientPlugin implements Plugin, JSocksClient {

    @ObjectClassDefinition(name = "Switchboard SOCKS5 proxy adapter (client side)")
    public @interface Config {
        String callsign();

        String startmode() default "Activated";

        @AttributeDefinition(description = "The order's client key")
        String clientKey();

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "The order's password")
        String password();

        @AttributeDefinition(description = "Port of the local SOCKS5 listener on 127.0.0.1; 0 = any free port",
                min = AdapterConfig.PORT_MIN, max = AdapterConfig.PORT_MAX)
        int port() default ClientSettings.PORT;

        @AttributeDefinition(description = "Seconds between two usage reports of an open session",
                min = AdapterConfig.REPORT_SECONDS_MIN, max = AdapterConfig.REPORT_SECONDS_MAX)
        long reportSeconds() default AdapterConfig.REPORT_SECONDS;

        @AttributeDefinition(description = "Milliseconds a local client may take from connecting until its"
                + " CONNECT is answered", min = AdapterConfig.TIMEOUT_MILLIS_MIN, max = AdapterConfig.TIMEOUT_MILLIS_MAX)
        long handshakeTimeoutMillis() default AdapterConfig.TIMEOUT_MILLIS;

        @AttributeDefinition(description = "Milliseconds to wait for the agent's proxy and the target",
                min = AdapterConfig.TIMEOUT_MILLIS_MIN, max = AdapterConfig.TIMEOUT_MILLIS_MAX)
        int connectTimeoutMillis() default AdapterConfig.TIMEOUT_MILLIS;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SocksClientPlugin.class);
    /** Local clients are trusted: one credential stands for all of them. */
    private static final byte[] LOCAL = new byte[0];

    private final String callsign;
    private final String clientKey;
    private final AgentLocator agent;
    private final UsageMeter meter;
    private final SocksServer server;

    /**
     * @param properties the configuration, read fail-closed ({@link ClientSettings})
     */
    @Activate
    public SocksClientPlugin(@Reference(name = "sessions") Sessions sessions, Map<String, Object> properties) {
        ClientSettings config = ClientSettings.read(properties);
        callsign = config.callsign();
        clientKey = AdapterConfig.required(config.clientKey(), "clientKey");
        String password = AdapterConfig.required(config.password(), "password");
        ClientApi client = sessions.client(clientKey, password);
        // read before the meter starts threads: a message naming no endpoint fails here; its host is
        // resolved for each connection, so one that does not resolve yet only fails connections meanwhile
        AgentEndpoint first = AgentEndpoint.of(client.getAccess());
        InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port());
        meter = new UsageMeter(callsign, key -> new ClientReporter(client),
                status -> status == ServiceStatus.ACTIVE || status == ServiceStatus.ACTIVATING, config.reportSeconds());
        agent = new AgentLocator(callsign, client::getAccess, first, meter.blocking());
        Gate local = new Gate() {
            @Override
            public boolean passwordRequired() {
                return false;
            }

            @Override
            public void admit(Tunnel tunnel, String username, String password) throws Refusal {
                meter.join(clientKey, tunnel, LOCAL, () -> {
                });
            }
        };
        server = SocksServer.start(callsign, listen, local,
                new ProxyDialer(agent, clientKey, password, config.connectTimeoutMillis(), meter.blocking()), meter,
                config.handshakeTimeoutMillis());
        LOG.info("SOCKS5 client {} for order {} listening on {}, through the agent's proxy at {}", callsign, clientKey,
                server.listening(), LogText.quote(first));
    }

    /** Closes every local connection and reports the order's final usage before it returns. */
    @Deactivate
    void deactivate() {
        server.close();
        LOG.info("SOCKS5 client {} stopped", callsign);
    }

    @Override
    public Status status() {
        UsageMeter.Usage usage = meter.usage();
        return new Status(server.listening(), agent.current().toString(),
                clientKey, server.connections(), usage.bytesUp(), usage.bytesDown(), usage.clients());
    }

    /** The order's Service API calls on the client side. */
    private record ClientReporter(ClientApi client) implements SessionReporter {

        @Override
        public void start(String connection, String clientAddress) {
            client.startSession(connection);
        }

        @Override
        public ServiceStatus update(String connection, UsageReport totals) {
            return client.updateSession(connection, totals);
        }

        @Override
        public ServiceStatus stop(String connection, UsageReport totals) {
            return client.stopSession(connection, totals);
        }
    }
}
