package dev.switchboard.adapter.openvpn.internal.management;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * Stays attached to an OpenVPN's management socket: connects, and connects again every half second
 * after the socket closed (OpenVPN restarted), until closed itself.
 */
public final class Attachment implements AutoCloseable {

    /** What the attachment reports. */
    public interface Handler {

        /** A new connection; called before any of its notifications. */
        void attached(ManagementLink link);

        void notification(Notification notification);

        /** The connection closed while the attachment was open (OpenVPN stopped, or restarts). */
        void detached(ManagementLink link);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Attachment.class);
    private static final long RETRY_MILLIS = 500;

    private final String name;
    private final Path socket;
    private final Handler handler;
    private final ScheduledExecutorService retries;
    private final Set<String> unknownLogged = ManagementLink.newUnknownLog();
    private volatile ManagementLink link;
    private volatile boolean closed;
    private boolean warned;

    private Attachment(String name, Path socket, Handler handler) {
        this.name = name;
        this.socket = socket;
        this.handler = handler;
        this.retries = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("openvpn-attach-" + name));
    }

    /** Starts attaching; the first attempt runs before this returns. */
    public static Attachment start(String name, Path socket, Handler handler) {
        Attachment attachment = new Attachment(name, socket, handler);
        attachment.connect();
        return attachment;
    }

    private synchronized void connect() {
        if (closed || link != null) {
            return;
        }
        try {
            link = ManagementLink.connect(name, socket, new ManagementLink.Listener() {
                @Override
                public void notification(Notification notification) {
                    handler.notification(notification);
                }

                @Override
                public void closed(ManagementLink closedLink) {
                    lost(closedLink);
                }
            }, unknownLogged);
            warned = false;
            LOG.info("OpenVPN {}: attached to the management interface at {}", name, socket);
            handler.attached(link);
        } catch (IOException e) {
            if (!warned) {
                warned = true;
                LOG.warn("OpenVPN {}: its management interface at {} cannot be reached ({}); trying again every {} ms",
                        name, socket, LogText.quote(e.getMessage()), RETRY_MILLIS);
            }
            retries.schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void lost(ManagementLink closedLink) {
        synchronized (this) {
            if (link == closedLink) {
                link = null;
            }
        }
        if (!closed) {
            // not when closed: an adapter being replaced leaves the tunnels to its successor
            handler.detached(closedLink);
            LOG.warn("OpenVPN {}: its management interface closed; attaching again", name);
            retries.schedule(this::connect, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    public boolean isAttached() {
        ManagementLink current = link;
        return current != null && current.isOpen();
    }

    /** The current connection, or {@code null} while detached. */
    public ManagementLink link() {
        return link;
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        ManagementLink current;
        synchronized (this) {
            current = link;
        }
        if (current != null) {
            current.close();
        }
    }
}
