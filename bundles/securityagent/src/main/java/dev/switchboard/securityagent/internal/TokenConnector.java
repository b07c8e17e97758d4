package dev.switchboard.securityagent.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.files.SecureFiles;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * The local socket where applications on this machine ask for tokens, as Thunder's
 * {@code connector}. A client writes its payload (JSON or a bare URL, at most
 * {@code maxPayloadBytes}), shuts its output down and reads one line back: the token, or
 * {@code error: <reason>}. The socket file is owner-only, so only processes of the user running
 * the host can ask.
 */
final class TokenConnector {

    private static final Logger LOG = LoggerFactory.getLogger(TokenConnector.class);
    private static final int WORKERS = 4;
    private static final int QUEUE = 32;
    private static final long DRAIN_LIMIT = 1 << 20;
    /** sun_path is 108 bytes on Linux, one of them the terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    private final Path socket;
    private final UnaryOperator<String> issuer;
    private final int maxPayloadBytes;
    private final Duration timeout;
    private ServerSocketChannel server;
    /** Accepted clients not answered yet: a stop closes them, also those still queued for a worker. */
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private Thread acceptor;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService watchdog;

    /**
     * @param issuer turns a payload into a token; throws {@link IllegalArgumentException} with the
     *               reason a payload is refused
     */
    TokenConnector(Path socket, UnaryOperator<String> issuer, int maxPayloadBytes, Duration timeout) {
        this.socket = socket.toAbsolutePath();
        this.issuer = issuer;
        this.maxPayloadBytes = maxPayloadBytes;
        this.timeout = timeout;
    }

    synchronized void start() throws IOException {
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH_BYTES) {
            throw new IOException("the socket path is " + length + " bytes long; a Unix domain socket allows at most "
                    + MAX_SOCKET_PATH_BYTES + ": configure a shorter 'connector' path");
        }
        SecureFiles.createPrivateDirectories(socket.getParent());
        removeStale();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(address);
            if (Files.getFileAttributeView(socket, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(socket, SecureFiles.OWNER_FILE);
            }
        } catch (IOException e) {
            server.close();
            throw e;
        }
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                DaemonThreads.numbered("switchboard-token-client-"));
        workers.allowCoreThreadTimeOut(true);
        watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("switchboard-token-timeout"));
        // the loop gets what it uses from here, under this lock, rather than reading the fields stop() clears
        ServerSocketChannel channel = server;
        ThreadPoolExecutor pool = workers;
        ScheduledExecutorService timer = watchdog;
        acceptor = DaemonThreads.named("switchboard-token-connector").newThread(() -> acceptLoop(channel, pool, timer));
        acceptor.start();
        LOG.info("Token connector listening on {}", socket);
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the token connector", e);
        }
        workers.shutdownNow();
        watchdog.shutdownNow();
        try {
            acceptor.join(2000);
            clients.forEach(TokenConnector::closeQuietly);
            clients.clear();
            Files.deleteIfExists(socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("Cannot remove the token socket {}: {}", socket, e.toString());
        }
        server = null;
        LOG.info("Token connector on {} stopped", socket);
    }

    Path socket() {
        return socket;
    }

    /** Clients accepted and not answered yet, those queued for a worker included. */
    int clientsInProgress() {
        return clients.size();
    }

    private void removeStale() throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(socket)) {
            throw new IOException(socket + " exists and is not a socket");
        }
        boolean live;
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            live = true;
        } catch (IOException e) {
            live = false;
        }
        if (live) {
            throw new IOException("another process is already serving " + socket);
        }
        Files.delete(socket);
        LOG.info("Removed the stale token socket {}", socket);
    }

    private void acceptLoop(ServerSocketChannel channel, ThreadPoolExecutor pool, ScheduledExecutorService timer) {
        while (channel.isOpen()) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("Token connector cannot accept: {}", e.toString());
                pause();
                continue;
            }
            clients.add(client);
            try {
                pool.execute(() -> serve(client, timer));
            } catch (RejectedExecutionException e) {
                LOG.warn("Token connector busy; a client was turned away");
                reply(client, "error: busy, try again");
                closeQuietly(client);
                clients.remove(client);
            }
        }
    }

    private void serve(SocketChannel client, ScheduledExecutorService timer) {
        ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(client), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            String answer = answer(client);
            if (answer != null) {
                reply(client, answer);
            }
        } catch (ClosedChannelException e) {
            LOG.warn("Token connector client timed out after {} ms", timeout.toMillis());
        } catch (IOException e) {
            LOG.warn("Token connector client failed: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("Token connector client failed", e);
            reply(client, "error: internal error");
        } finally {
            deadline.cancel(false);
            closeQuietly(client);
            clients.remove(client);
        }
    }

    private String answer(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(maxPayloadBytes + 1);
        while (buffer.hasRemaining() && client.read(buffer) >= 0) {
            // read until the client shuts its output down, or one byte too many arrived
        }
        if (!buffer.hasRemaining()) {
            LOG.warn("Token connector refused a payload larger than {} bytes", maxPayloadBytes);
            reply(client, "error: payload larger than " + maxPayloadBytes + " bytes");
            client.shutdownOutput();
            drain(client);
            return null;
        }
        buffer.flip();
        String payload;
        try {
            payload = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer).toString();
        } catch (CharacterCodingException e) {
            LOG.warn("Token connector refused a payload that is not UTF-8");
            return "error: payload is not UTF-8";
        }
        try {
            String token = issuer.apply(payload);
            LOG.debug("Issued a token over the connector");
            return token;
        } catch (IllegalArgumentException e) {
            LOG.warn("Token connector refused a payload: {}", LogText.quote(e.getMessage()));
            return "error: " + e.getMessage().replace('\n', ' ').replace('\r', ' ');
        }
    }

    /**
     * Reads and discards what a refused client still sends, so it can read the answer instead of
     * losing it to a reset; the deadline bounds this.
     */
    private static void drain(SocketChannel client) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long total = 0;
        while (total < DRAIN_LIMIT) {
            sink.clear();
            int read = client.read(sink);
            if (read < 0) {
                return;
            }
            total += read;
        }
    }

    private static void reply(SocketChannel client, String line) {
        ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (out.hasRemaining()) {
                client.write(out);
            }
        } catch (IOException e) {
            LOG.debug("Token connector client left before its answer: {}", e.toString());
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("Closing a token connector client", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
