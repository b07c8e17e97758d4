package dev.switchboard.adapter.openvpn.internal.management;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * One connection to OpenVPN's management interface on its Unix socket. A reader thread hands every
 * real-time message to the listener in order, and the other lines to the commands waiting for their
 * answers (OpenVPN answers commands in the order they were sent).
 */
public final class ManagementLink implements AutoCloseable {

    /** What the link reports, on its reader thread. */
    public interface Listener {

        void notification(Notification notification);

        /** The socket closed (OpenVPN stopped, or {@link #close()}); commands still waiting fail. */
        void closed(ManagementLink link);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ManagementLink.class);

    private final String name;
    private final SocketChannel channel;
    private final Writer out;
    private final Listener listener;
    private final NotificationParser parser = new NotificationParser();
    /** Guarded by {@code this}: commands sent, oldest first. */
    private final Queue<Pending> pending = new ArrayDeque<>();
    /** Sources already logged as unknown: each is logged once. */
    private final Set<String> unknownLogged;
    private volatile boolean closing;

    private record Pending(CompletableFuture<Reply> answer, boolean multiLine, List<String> lines) {
    }

    private ManagementLink(String name, SocketChannel channel, Listener listener, Set<String> unknownLogged) {
        this.name = name;
        this.channel = channel;
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
        this.listener = listener;
        this.unknownLogged = unknownLogged;
    }

    /**
     * Connects and starts reading.
     *
     * @param name          names the OpenVPN in log lines
     * @param unknownLogged sources of unknown messages already logged (shared across reconnections)
     */
    public static ManagementLink connect(String name, Path socket, Listener listener, Set<String> unknownLogged)
            throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        ManagementLink link = new ManagementLink(name, channel, listener, unknownLogged);
        Thread reader = DaemonThreads.named("openvpn-management-" + name).newThread(link::read);
        reader.start();
        return link;
    }

    /** A set for {@link #connect}'s {@code unknownLogged}. */
    public static Set<String> newUnknownLog() {
        return ConcurrentHashMap.newKeySet();
    }

    /** Sends a command answered by one {@code SUCCESS:} or {@code ERROR:} line. */
    public CompletableFuture<Reply> command(String command) {
        return send(command, false);
    }

    /** Sends a command answered by lines up to {@code END} (or one {@code ERROR:} line). */
    public CompletableFuture<Reply> multiLine(String command) {
        return send(command, true);
    }

    private synchronized CompletableFuture<Reply> send(String command, boolean multiLine) {
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        if (closing) {
            answer.completeExceptionally(new IOException("the management interface of " + name + " is closed"));
            return answer;
        }
        try {
            out.write(command);
            out.write('\n');
            out.flush();
            pending.add(new Pending(answer, multiLine, new ArrayList<>()));
        } catch (IOException e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(">")) {
                    notification(line);
                } else {
                    answer(line);
                }
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.warn("OpenVPN {}: the management interface failed: {}", name, LogText.quote(e.getMessage()));
            }
        } finally {
            failPending();
            listener.closed(this);
        }
    }

    private void notification(String line) {
        Notification notification;
        try {
            notification = parser.parse(line);
        } catch (IllegalArgumentException e) {
            LOG.warn("OpenVPN {}: a management message the adapter cannot read, ignored: {}", name,
                    LogText.quote(e.getMessage()));
            return;
        }
        if (notification instanceof Notification.Unknown unknown) {
            if (unknownLogged.add(unknown.source())) {
                LOG.warn("OpenVPN {}: a management message the adapter does not know, ignored (logged once per kind): {}",
                        name, LogText.quote(unknown.line()));
            }
            return;
        }
        if (notification != null) {
            try {
                listener.notification(notification);
            } catch (RuntimeException e) {
                LOG.error("OpenVPN {}: handling {} failed: {}", name, notification, LogText.quote(e));
            }
        }
    }

    private void answer(String line) {
        Pending first;
        synchronized (this) {
            first = pending.peek();
            if (first == null) {
                if (unknownLogged.add("answer")) {
                    LOG.warn("OpenVPN {}: a management line no command waits for, ignored (logged once): {}", name,
                            LogText.quote(line));
                }
                return;
            }
            if (first.multiLine() && !line.equals("END") && !(first.lines().isEmpty() && line.startsWith("ERROR:"))) {
                first.lines().add(line);
                return;
            }
            pending.remove();
        }
        first.answer().complete(first.multiLine() && line.equals("END")
                ? new Reply(true, "", List.copyOf(first.lines())) : Reply.of(line));
    }

    private void failPending() {
        List<Pending> left;
        synchronized (this) {
            closing = true;
            left = new ArrayList<>(pending);
            pending.clear();
        }
        left.forEach(p -> p.answer().completeExceptionally(
                new IOException("the management interface of " + name + " closed")));
    }

    public boolean isOpen() {
        return !closing && channel.isOpen();
    }

    @Override
    public void close() {
        closing = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("OpenVPN {}: closing the management socket: {}", name, e.toString());
        }
    }
}
