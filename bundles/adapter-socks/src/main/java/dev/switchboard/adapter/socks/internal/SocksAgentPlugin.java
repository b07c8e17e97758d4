package dev.switchboard.adapter.socks.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
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
import dev.switchboard.socks.relay.SessionReporter;
import dev.switchboard.socks.relay.SocksServer;
import dev.switchboard.socks.relay.UsageMeter;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsListener;
import dev.switchboard.sessions.api.StatusChange;
import dev.switchboard.sessions.api.UsageReport;

/**
 * The agent side of the SOCKS5 proxy product: a SOCKS5 server whose clients are the product's orders
 * (RFC 1929 user name = client key, password = the order's password), each metered and reported to
 * the Sessions service, and cut off when its order's service status is no longer active.
 */
@Component(service = {Plugin.class, SessionsListener.class}, configurationPid = AgentSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = SocksAgentPlugin.Config.class, factory = true)
public class SocksAgentPlugin implements Plugin, JSocksProxy, SessionsListener {

    @ObjectClassDefinition(name = "Switchboard SOCKS5 proxy adapter (agent side)")
    public @interface Config {
        String callsign();

        String startmode() default "Activated";

        @AttributeDefinition(description = "Id of the product this proxy sells (from Sessions.createProduct)")
        String product();

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The product's adapter credential (from Sessions.createProduct)")
        String credential();

        @AttributeDefinition(description = "Address the proxy listens on")
        String listenAddress() default AgentSettings.LISTEN_ADDRESS;

        @AttributeDefinition(description = "Port the proxy listens on; 0 = any free port",
                min = AdapterConfig.PORT_MIN, max = AdapterConfig.PORT_MAX)
        int port() default AgentSettings.PORT;

        @AttributeDefinition(description = "Host clients connect to, pushed to the product configuration for"
                + " access messages; empty = the listen address, or this host's name when that is a wildcard")
        String advertisedHost() default "";

        @AttributeDefinition(description = "Seconds between two usage reports of an open session",
                min = AdapterConfig.REPORT_SECONDS_MIN, max = AdapterConfig.REPORT_SECONDS_MAX)
        long reportSeconds() default AdapterConfig.REPORT_SECONDS;

        @AttributeDefinition(description = "Milliseconds a client may take from connecting to the proxy until its"
                + " CONNECT is answered", min = AdapterConfig.TIMEOUT_MILLIS_MIN, max = AdapterConfig.TIMEOUT_MILLIS_MAX)
        long handshakeTimeoutMillis() default AdapterConfig.TIMEOUT_MILLIS;

        @AttributeDefinition(description = "Milliseconds to wait for a target to accept a connection",
                min = AdapterConfig.TIMEOUT_MILLIS_MIN, max = AdapterConfig.TIMEOUT_MILLIS_MAX)
        int connectTimeoutMillis() default AdapterConfig.TIMEOUT_MILLIS;

        @AttributeDefinition(description = "Let clients reach this host and private networks (loopback,"
                + " link-local, site-local, unique local addresses)")
        boolean allowPrivateTargets() default false;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SocksAgentPlugin.class);

    private final String callsign;
    private final String product;
    private final UsageMeter meter;
    private final SocksServer server;
    private final String advertised;

    /**
     * @param properties the configuration, read fail-closed ({@link AgentSettings}): DS's typed {@link Config}
     *                   would take a mistyped boolean for {@code false} without a word
     */
    @Activate
    public SocksAgentPlugin(@Reference(name = "sessions") Sessions sessions, Map<String, Object> properties) {
        AgentSettings config = AgentSettings.read(properties);
        callsign = config.callsign();
        product = AdapterConfig.required(config.product(), "product");
        AgentApi agent = sessions.agent(product, AdapterConfig.required(config.credential(), "credential"));
        InetSocketAddress listen = new InetSocketAddress(config.listenAddress(), config.port());
        meter = new UsageMeter(callsign, clientKey -> new AgentReporter(agent, clientKey),
                ServiceStatus.ACTIVE::equals, config.reportSeconds());
        server = SocksServer.start(callsign, listen, new AgentGate(agent, meter),
                new DirectDialer(meter.blocking(), config.allowPrivateTargets(), config.connectTimeoutMillis()), meter,
                config.handshakeTimeoutMillis());
        try {
            InetSocketAddress address = server.address();
            String host = advertisedHost(config.advertisedHost(), address);
            Map<String, String> settings = new LinkedHashMap<>();
            Map<String, String> current = sessions.product(product).config();
            if (current != null) {
                settings.putAll(current);
            }
            settings.put("host", host);
            settings.put("port", String.valueOf(address.getPort()));
            agent.setProductConfig(settings);
            advertised = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("SOCKS5 proxy {} for product {} listening on {}, advertised as {}", callsign, product,
                server.listening(), advertised);
    }

    /** What clients are told to connect to: a wildcard listen address says nothing, the host name does. */
    private static String advertisedHost(String configured, InetSocketAddress listening) {
        if (!configured.isEmpty()) {
            return configured;
        }
        if (!listening.getAddress().isAnyLocalAddress()) {
            return listening.getAddress().getHostAddress();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("set advertisedHost: this host's name is unknown", e);
        }
    }

    /**
     * Stops accepting, closes every connection and reports the final usage of each: on a bundle update
     * too, so replacing the adapter loses no usage.
     */
    @Deactivate
    void deactivate() {
        server.close();
        LOG.info("SOCKS5 proxy {} stopped", callsign);
    }

    @Override
    public Status status() {
        UsageMeter.Usage usage = meter.usage();
        return new Status(server.listening(), advertised, product, server.connections(), usage.bytesUp(),
                usage.bytesDown(), usage.clients());
    }

    @Override
    public void statusChanged(StatusChange change) {
        if (product.equals(change.product()) && change.to() != ServiceStatus.ACTIVE
                && change.to() != ServiceStatus.ACTIVATING) {
            meter.cutClient(change.clientKey(), "the service is " + change.to().wire() + " (" + change.reason() + ")");
        }
    }

    @Override
    public void connectionChanged(ConnectionChange change) {
        // the meter's own stops do not match: it forgets a session before it stops it
        if (product.equals(change.product()) && "stop".equals(change.command())) {
            meter.cutSession(change.connection(), "the service stopped its session");
        }
    }

    /** The Service API calls of one client key. */
    private record AgentReporter(AgentApi agent, String clientKey) implements SessionReporter {

        @Override
        public void start(String connection, String clientAddress) {
            agent.startSession(clientKey, connection, clientAddress);
        }

        @Override
        public ServiceStatus update(String connection, UsageReport totals) {
            return agent.updateSession(clientKey, connection, totals);
        }

        @Override
        public ServiceStatus stop(String connection, UsageReport totals) {
            return agent.stopSession(clientKey, connection, totals);
        }
    }
}
