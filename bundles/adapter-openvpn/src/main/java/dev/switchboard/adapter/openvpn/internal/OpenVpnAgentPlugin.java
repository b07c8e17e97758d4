package dev.switchboard.adapter.openvpn.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
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

import dev.switchboard.adapter.openvpn.internal.management.Attachment;
import dev.switchboard.adapter.openvpn.internal.management.ManagementLink;
import dev.switchboard.adapter.openvpn.internal.management.Notification;
import dev.switchboard.adapter.openvpn.internal.process.Commands;
import dev.switchboard.adapter.openvpn.internal.process.Deactivation;
import dev.switchboard.adapter.openvpn.internal.process.OpenVpnProcess;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsListener;
import dev.switchboard.sessions.api.StatusChange;
import dev.switchboard.sessions.api.UsageReport;

/**
 * The agent side of the VPN product: an OpenVPN server whose clients are the product's orders (user name =
 * client key, password = the order's password), each tunnel metered and reported to the Sessions service,
 * and cut when its order is no longer active. It talks to OpenVPN over its management interface only.
 */
@Component(service = {Plugin.class, SessionsListener.class}, configurationPid = AgentSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = OpenVpnAgentPlugin.Config.class, factory = true)
public class OpenVpnAgentPlugin implements Plugin, JOpenVpn, SessionsListener {

    @ObjectClassDefinition(name = "Switchboard OpenVPN adapter (agent side)")
    public @interface Config {
        String callsign();

        String startmode() default "Activated";

        @AttributeDefinition(description = "Id of the product this VPN sells (from Sessions.createProduct)")
        String product();

        @AttributeDefinition(type = AttributeType.PASSWORD,
                description = "The product's adapter credential (from Sessions.createProduct)")
        String credential();

        @AttributeDefinition(description = "managed: the adapter configures, starts and keeps OpenVPN running;"
                + " attach: it attaches to the management socket of an OpenVPN the operator runs")
        String mode() default "managed";

        @AttributeDefinition(description = "Address OpenVPN listens on (managed mode); empty = every address")
        String listenAddress() default "";

        @AttributeDefinition(description = "Port OpenVPN listens on", min = "1", max = "65535")
        int port() default AgentSettings.PORT;

        @AttributeDefinition(description = "udp or tcp")
        String proto() default "udp";

        @AttributeDefinition(description = "Host clients connect to, pushed to the product configuration for"
                + " access messages; empty = the listen address, or this host's name")
        String advertisedHost() default "";

        @AttributeDefinition(description = "The tunnels' IPv4 network (managed mode); the server takes its first"
                + " address")
        String network() default AgentSettings.NETWORK;

        @AttributeDefinition(description = "OpenVPN's management socket; empty = management.sock in the"
                + " instance's folder under dataDir (managed mode), required in attach mode")
        String managementSocket() default "";

        @AttributeDefinition(description = "The CA certificate clients check the server against (attach mode)")
        String caFile() default "";

        @AttributeDefinition(description = "The server's tls-crypt key, given to clients (attach mode)")
        String tlsCryptFile() default "";

        @AttributeDefinition(description = "The openvpn command")
        String openvpn() default "openvpn";

        @AttributeDefinition(description = "The openssl command, which makes the keys of managed mode")
        String openssl() default "openssl";

        @AttributeDefinition(description = "Where managed mode keeps each instance's configuration, keys and log")
        String dataDir() default AgentSettings.DATA_DIR;

        @AttributeDefinition(description = "Seconds between two usage reports of a tunnel",
                min = AgentSettings.REPORT_SECONDS_MIN, max = AgentSettings.REPORT_SECONDS_MAX)
        long reportSeconds() default AgentSettings.REPORT_SECONDS;
    }

    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnAgentPlugin.class);
    /** Ports and management sockets taken by the instances of this host, with the callsign of each. */
    private static final Map<String, String> CLAIMS = new ConcurrentHashMap<>();

    private final String callsign;
    private final String product;
    private final AgentSettings.Mode mode;
    private final List<String> claims = new ArrayList<>();
    private final ServerMeter meter;
    private final OpenVpnProcess process;
    private final Attachment attachment;
    private final String advertised;
    private final BundleContext context;

    /**
     * @param properties the configuration, read fail-closed ({@link AgentSettings})
     */
    @Activate
    public OpenVpnAgentPlugin(@Reference(name = "sessions") Sessions sessions, Map<String, Object> properties,
            BundleContext context) {
        this.context = context;
        AgentSettings config = AgentSettings.read(properties);
        callsign = config.callsign();
        mode = config.mode();
        product = AgentSettings.required(config.product(), "product");
        AgentApi agent = sessions.agent(product, AgentSettings.required(config.credential(), "credential"));
        if (mode == AgentSettings.Mode.ATTACH && config.managementSocket().isEmpty()) {
            throw new IllegalArgumentException("managementSocket is required in attach mode");
        }
        try {
            Path socket = config.socket();
            claim("management socket " + socket);
            if (mode == AgentSettings.Mode.MANAGED) {
                claim("port " + config.port() + "/" + config.proto().name().toLowerCase());
            }
            Path openvpn = Commands.executable(config.openvpn(), "OpenVPN");
            meter = new ServerMeter(callsign, agent, prefix -> openSessions(sessions, prefix));
            Map<String, String> settings = clientSettings(sessions, config);
            if (mode == AgentSettings.Mode.MANAGED) {
                Path dir = config.instanceDir();
                Pki.ensure(dir, Commands.executable(config.openssl(), "OpenSSL"), openvpn, callsign);
                settings.putAll(keys(dir.resolve(Pki.CA), dir.resolve(Pki.TLS_CRYPT)));
                process = new OpenVpnProcess(callsign, dir, openvpn, socket, null);
                process.start(ServerConfig.render(config, dir, socket));
            } else {
                settings.putAll(keys(Path.of(AgentSettings.required(config.caFile(), "caFile")),
                        Path.of(AgentSettings.required(config.tlsCryptFile(), "tlsCryptFile"))));
                process = null;
            }
            agent.setProductConfig(settings);
            advertised = settings.get("host") + ":" + settings.get("port") + "/" + settings.get("proto");
            long reportSeconds = config.reportSeconds();
            attachment = Attachment.start(callsign, socket, new Attachment.Handler() {
                @Override
                public void attached(ManagementLink link) {
                    meter.attached(link, reportSeconds);
                }

                @Override
                public void notification(Notification notification) {
                    meter.notification(notification);
                }

                @Override
                public void detached(ManagementLink link) {
                    meter.detached(link);
                }
            });
        } catch (IOException e) {
            release();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        LOG.info("OpenVPN {} for product {} ({} mode), advertised as {}", callsign, product,
                mode.name().toLowerCase(), advertised);
    }

    private void claim(String what) {
        String holder = CLAIMS.putIfAbsent(what, callsign);
        if (holder != null) {
            throw new IllegalStateException("the " + what + " is already used by " + holder);
        }
        claims.add(what);
    }

    private void release() {
        claims.forEach(CLAIMS::remove);
        claims.clear();
    }

    /** The product configuration clients need besides the keys; the operator's own keys are kept. */
    private Map<String, String> clientSettings(Sessions sessions, AgentSettings config) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> current = sessions.product(product).config();
        if (current != null) {
            settings.putAll(current);
        }
        settings.put("host", advertisedHost(config));
        settings.put("port", String.valueOf(config.port()));
        settings.put("proto", config.proto().name().toLowerCase());
        settings.put("cipher", ServerConfig.CIPHERS);
        return settings;
    }

    private static Map<String, String> keys(Path ca, Path tlsCrypt) throws IOException {
        return Map.of("ca", Files.readString(ca, StandardCharsets.US_ASCII),
                "tlsCrypt", Files.readString(tlsCrypt, StandardCharsets.US_ASCII));
    }

    private static String advertisedHost(AgentSettings config) {
        if (!config.advertisedHost().isEmpty()) {
            return config.advertisedHost();
        }
        if (!config.listenAddress().isEmpty()) {
            return config.listenAddress();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("set advertisedHost: this host's name is unknown", e);
        }
    }

    /** This adapter's sessions still open in the Sessions service. */
    private List<Tunnel> openSessions(Sessions sessions, String prefix) {
        List<Tunnel> open = new ArrayList<>();
        for (Order order : sessions.orders(product, null)) {
            if (order.status() == ServiceStatus.TERMINATED || order.status() == ServiceStatus.PENDING) {
                continue;
            }
            for (SessionInfo session : sessions.sessions(order.id())) {
                if (session.stopped() == 0 && "agent".equals(session.side())
                        && session.connection().startsWith(prefix)) {
                    open.add(new Tunnel(-1, order.clientKey(), session.connection(), session.clientAddress(), "", 0,
                            new UsageReport(session.bytesUp(), session.bytesDown())));
                }
            }
        }
        return open;
    }

    /**
     * A bundle update or stop leaves a managed OpenVPN running, tunnels and all, for the adapter's next start
     * to adopt; a removed configuration, or the host shutting down, stops it.
     */
    @Deactivate
    void deactivate(int reason) {
        attachment.close();
        boolean update = Deactivation.isBundleUpdate(reason, context);
        if (process != null) {
            if (update) {
                process.leave();
            } else {
                process.stop();
                meter.stopAll();
            }
        }
        meter.close();
        release();
        LOG.info("OpenVPN {} stopped", callsign);
    }

    @Override
    public Status status() {
        return new Status(attachment.isAttached() ? "up" : "down", mode.name().toLowerCase(), advertised, product,
                meter.clients());
    }

    @Override
    public void statusChanged(StatusChange change) {
        if (product.equals(change.product()) && change.to() != ServiceStatus.ACTIVE
                && change.to() != ServiceStatus.ACTIVATING) {
            meter.cut(change.clientKey(), "the service is " + change.to().wire() + " (" + change.reason() + ")");
        }
    }

    @Override
    public void connectionChanged(ConnectionChange change) {
        if (product.equals(change.product()) && "stop".equals(change.command())) {
            meter.cutConnection(change.connection(), "the service stopped its session");
        }
    }
}
