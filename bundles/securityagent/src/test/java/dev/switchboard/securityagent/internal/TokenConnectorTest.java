package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.securityagent.cli.TokenClientAccess;

class TokenConnectorTest {

    /**
     * How long a client may take to send its payload: a silent one is cut after it, and a busy
     * machine must not make a prompt one miss it.
     */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private TokenService tokens;
    private TokenConnector connector;
    private Path socket;

    @BeforeEach
    void setUp() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        TokenKeys keys = new TokenKeys(dir.resolve("keys.json"), Duration.ofHours(1), clock, new SecureRandom());
        keys.load();
        tokens = new TokenService(keys, new RevocationList(dir.resolve("revoked.json"), clock),
                TokenService.Settings.defaults(), clock);
        socket = dir.resolve("run/token.sock");
        connector = new TokenConnector(socket, tokens::issue, 4096, CLIENT_TIMEOUT);
        connector.start();
    }

    @AfterEach
    void tearDown() {
        connector.stop();
    }

    @Test
    void issuesTokensThatValidate() throws Exception {
        String token = TokenClientAccess.request(socket, "{\"url\":\"http://localhost:8080/app\",\"user\":\"me\"}");
        TokenValidation validation = tokens.validate(token);
        assertThat(validation.isValid()).as(token).isTrue();
        assertThat(validation.claims().user()).isEqualTo("me");
        assertThat(tokens.validate(TokenClientAccess.request(socket, "https://app.example/")).isValid()).isTrue();
    }

    @Test
    void theTokenCommandWaitsForAnAgentThatIsStillStartingAndGivesUpOnNone() throws Exception {
        connector.stop();
        assertThat(socket).doesNotExist();
        CountDownLatch waiting = new CountDownLatch(1);
        var asked = CompletableFuture.supplyAsync(() -> {
            try {
                return TokenClientAccess.requestWaiting(socket, "http://localhost", Duration.ofSeconds(30),
                        waiting::countDown);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the client found no agent and waits").isTrue();
        assertThat(asked).isNotDone();
        connector = new TokenConnector(socket, tokens::issue, 4096, CLIENT_TIMEOUT);
        connector.start();
        assertThat(tokens.validate(asked.get(30, TimeUnit.SECONDS)).isValid()).isTrue();

        connector.stop();
        assertThatThrownBy(() -> TokenClientAccess.requestWaiting(socket, "http://localhost", Duration.ofMillis(300)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theSocketIsOwnerOnlyAndRemovedOnStop() throws Exception {
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(socket.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        connector.stop();
        assertThat(socket).doesNotExist();
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        connector.stop();
        try (var stale = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        connector = new TokenConnector(socket, tokens::issue, 4096, CLIENT_TIMEOUT);
        connector.start();
        assertThat(TokenClientAccess.request(socket, "http://localhost")).doesNotStartWith("error");
    }

    @Test
    void stoppingClosesEveryClientAlsoThoseStillWaitingForAWorker() throws Exception {
        connector.stop();
        connector = new TokenConnector(socket, tokens::issue, 4096, Duration.ofMinutes(5));
        connector.start();
        // four clients that never finish their payload hold the four workers; the fifth waits in the queue
        java.util.List<SocketChannel> stalled = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.connect(UnixDomainSocketAddress.of(socket));
            client.write(ByteBuffer.wrap("http://".getBytes(StandardCharsets.UTF_8)));
            stalled.add(client);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.clientsInProgress() == stalled.size());
        connector.stop();
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            for (SocketChannel client : stalled) {
                // a read that returns ends the client's wait: end of stream, or a reset
                java.util.concurrent.Future<Integer> read = readers.submit(() -> {
                    try {
                        return client.read(ByteBuffer.allocate(64));
                    } catch (java.io.IOException reset) {
                        return -1;
                    }
                });
                assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
                client.close();
            }
        } finally {
            readers.shutdownNow();
        }
        connector = new TokenConnector(socket, tokens::issue, 4096, CLIENT_TIMEOUT);
        connector.start();
    }

    @Test
    void aSocketPathTooLongForTheKernelIsRefusedWithItsLength() {
        Path deep = dir.resolve("d".repeat(120)).resolve("token.sock");
        TokenConnector tooDeep = new TokenConnector(deep, tokens::issue, 4096, CLIENT_TIMEOUT);
        assertThatThrownBy(tooDeep::start).isInstanceOf(IOException.class)
                .hasMessageContaining("at most 107").hasMessageContaining("'connector'");
        assertThat(deep.getParent()).doesNotExist();
    }

    @Test
    void badClientsGetAnErrorLineAndTheServerKeepsServing() throws Exception {
        assertThat(TokenClientAccess.request(socket, "x".repeat(5000))).isEqualTo("error: payload larger than 4096 bytes");
        assertThat(TokenClientAccess.request(socket, "{\"url\":\"http://a\"," + " ".repeat(5000) + "}"))
                .startsWith("error: payload larger than");
        assertThat(TokenClientAccess.request(socket, "garbage\u0001")).startsWith("error: ");
        assertThat(TokenClientAccess.request(socket, "{\"url\":42}")).startsWith("error: ");
        assertThat(TokenClientAccess.request(socket, "")).isEqualTo("error: empty payload");
        assertThat(rawRequest(new byte[] {(byte) 0xff, (byte) 0xfe, 0})).isEqualTo("error: payload is not UTF-8\n");

        // a client that never finishes is cut off after the timeout
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            silent.write(ByteBuffer.wrap("http://".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(100);
            assertThat(silent.read(in)).isEqualTo(-1);
        }
        // one that leaves at once does no harm
        SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();

        String token = TokenClientAccess.request(socket, "http://localhost:1");
        assertThat(tokens.validate(token).isValid()).as(token).isTrue();
    }

    private String rawRequest(byte[] payload) throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(payload));
            channel.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(1000);
            while (channel.read(in) >= 0) {
                // until the server closes
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
        }
    }
}
