package dev.switchboard.adapter.openvpn.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import dev.switchboard.adapter.openvpn.internal.process.ManagementSocket;
import dev.switchboard.adapter.openvpn.internal.process.OpenVpnProcess;
import dev.switchboard.api.config.LogText;
import dev.switchboard.api.files.SecureFiles;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.threads.DaemonThreads;
import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.Sessions;

/**
 * The client side of the VPN product: runs an {@code openvpn} client configured from the order's access
 * message (imported on this node) with the order's credentials, and reports the order's usage to this node's
 * Sessions service from the client's management interface. When OpenVPN exits or reconnects, the access
 * message is read again: a re-imported one (the agent moved) is followed.
 */
@Component(service = Plugin.class, configurationPid = ClientSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = OpenVpnClientPlugin.Config.class, factory = true)
public class OpenVpnClientPlugin implements Plugin, JOpenVpnClient {

    @ObjectClassDefinition(name = "Switchboard OpenVPN adapter (client side)")
    public @interface Config {
        String callsign();

        String startmode() default "Activated";

        @AttributeDefinition(description = "The order's client key")
        String clientKey();

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "The order's password")
        String password();

        @AttributeDefinition(description = "The openvpn command")
        String openvpn() default "openvpn";

        @AttributeDefinition(description = "Where each instance keeps its configuration, credentials and log")
        String dataDir() default ClientSettings.DATA_DIR;

        @AttributeDefinition(description = "Seconds between two usage reports",
                min = ClientSettings.REPORT_SECONDS_MIN, max = ClientSettings.REPORT_SECONDS_MAX)
        long reportSeconds() default ClientSettings.REPORT_SECONDS;
    }

    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnClientPlugin.class);

    private final String callsign;
    private final String clientKey;
    private final String password;
    private final ClientApi client;
    private final BundleContext context;
    private final Path dir;
    private final Path socket;
    private final ClientMeter meter;
    private final OpenVpnProcess process;
    private final Attachment attachment;
    private final ExecutorService rereads;
    private volatile ClientProfile profile;
    private volatile String exitReason = "";
    private volatile boolean stopping;

    @Activate
    public OpenVpnClientPlugin(@Reference(name = "sessions") Sessions sessions, Map<String, Object> properties,
            BundleContext context) {
        this.context = context;
        ClientSettings config = ClientSettings.read(properties);
        callsign = config.callsign();
        clientKey = ClientSettings.required(config.clientKey(), "clientKey");
        password = ClientSettings.required(config.password(), "password");
        client = sessions.client(clientKey, password);
        // read before anything starts: a message without what a client needs fails here, naming the field
        profile = ClientProfile.of(client.getAccess());
        Path openvpn = Commands.executable(config.openvpn(), "OpenVPN");
        dir = config.instanceDir();
        try {
            socket = ManagementSocket.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        meter = new ClientMeter(callsign, client);
        rereads = Executors.newSingleThreadExecutor(DaemonThreads.named("openvpn-client-access-" + callsign));
        process = new OpenVpnProcess(callsign, dir, openvpn, socket, () -> rereads.execute(this::exited));
        try {
            SecureFiles.writePrivate(dir.resolve("auth.txt"),
                    (clientKey + "\n" + password + "\n").getBytes(StandardCharsets.UTF_8));
            process.start(profile.render(dir.resolve("auth.txt").toString(), socket.toString()));
        } catch (IOException e) {
            rereads.shutdownNow();
            throw new UncheckedIOException(e.getMessage(), e);
        }
        long reportSeconds = config.reportSeconds();
        attachment = Attachment.start(callsign, socket, new Attachment.Handler() {
            @Override
            public void attached(ManagementLink link) {
                link.multiLine("state").thenAccept(reply -> {
                    if (reply.success() && !reply.lines().isEmpty()) {
                        meter.attachedIn(Notification.State.parse(reply.lines().get(reply.lines().size() - 1)));
                    }
                });
                link.command("state on");
                link.command("bytecount " + reportSeconds);
            }

            @Override
            public void notification(Notification notification) {
                meter.notification(notification);
                if (notification instanceof Notification.State state && state.name().equals("RECONNECTING")) {
                    rereads.execute(() -> followAccess("it reconnects (" + state.description() + ")"));
                }
            }

            @Override
            public void detached(ManagementLink link) {
                meter.close();
            }
        });
        LOG.info("OpenVPN client {} for order {} connecting to {}", callsign, clientKey, profile.agent());
    }

    /** OpenVPN exited of itself (refused, or a fatal error): started again only for a re-imported message. */
    private void exited() {
        exitReason = process.lastLogLine();
        meter.exited();
        if (!followAccess("it exited")) {
            LOG.warn("OpenVPN client {}: openvpn exited and is not started again: {}", callsign,
                    LogText.quote(exitReason));
        }
    }

    /**
     * Reads the access message again; when it names another server or other keys, OpenVPN restarts with them.
     *
     * @return whether it restarted
     */
    private boolean followAccess(String why) {
        if (stopping) {
            return false;
        }
        ClientProfile now;
        try {
            now = ClientProfile.of(client.getAccess());
        } catch (RuntimeException e) {
            LOG.warn("OpenVPN client {}: reading the access message again failed: {}", callsign, LogText.quote(e));
            return false;
        }
        if (now.equals(profile)) {
            return false;
        }
        LOG.info("OpenVPN client {}: the access message now names {} (was {}); {}, so openvpn restarts with it",
                callsign, now.agent(), profile.agent(), why);
        profile = now;
        meter.close();
        try {
            exitReason = "";
            process.replace(now.render(dir.resolve("auth.txt").toString(), socket.toString()));
            return true;
        } catch (IOException e) {
            exitReason = e.getMessage();
            LOG.warn("OpenVPN client {}: restarting openvpn failed: {}", callsign, LogText.quote(e.getMessage()));
            return false;
        }
    }

    /**
     * A bundle update leaves the tunnel up for the adapter's next start to adopt; a removed configuration, or
     * the host shutting down, stops OpenVPN and ends the session.
     */
    @Deactivate
    void deactivate(int reason) {
        stopping = true;
        rereads.shutdownNow();
        boolean update = Deactivation.isBundleUpdate(reason, context);
        if (update) {
            attachment.close();
        }
        if (update) {
            process.leave();
        } else {
            finalCounts();
            attachment.close();
            process.stop();
            meter.close();
        }
        meter.shutdown();
        LOG.info("OpenVPN client {} stopped", callsign);
    }

    /** The link counts up to now, from OpenVPN's {@code status}: the last byte count may be a second old. */
    private void finalCounts() {
        ManagementLink link = attachment.link();
        if (link == null) {
            return;
        }
        try {
            Notification.Bytes counts = LinkCounts.parse(link.multiLine("status").get(5, TimeUnit.SECONDS).lines());
            if (counts != null) {
                meter.notification(counts);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("OpenVPN client {}: its last counts could not be read: {}", callsign, LogText.quote(e));
        }
    }

    @Override
    public Status status() {
        return meter.status(profile.agent(), clientKey, exitReason);
    }
}
