package dev.switchboard.adapter.socks.internal;

import static dev.switchboard.adapter.socks.internal.SocksAgentPluginTest.AUTH_FAILURE;
import static dev.switchboard.adapter.socks.internal.SocksAgentPluginTest.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.adapter.socks.testing.Market;
import dev.switchboard.adapter.socks.testing.Socks;
import dev.switchboard.adapter.socks.testing.SocksTestBase;
import dev.switchboard.adapter.socks.testing.Targets;
import dev.switchboard.api.config.LogLines;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;

/** Every malformed or refused request gets the reply RFC 1928 / RFC 1929 gives it, and the proxy goes on. */
class SocksAgentBadInputTest extends SocksTestBase {

    static final byte[] LOCALHOST = {127, 0, 0, 1};
    static final int CONNECT = 1;
    static final int BIND = 2;
    static final int UDP_ASSOCIATE = 3;

    @BeforeEach
    void start() {
        startAgent(Map.of("handshakeTimeoutMillis", 500L));
    }

    @AfterEach
    void stop() throws Exception {
        // whatever came before, the proxy still serves
        try (Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.echoPort()))) {
            Socks.echoed(socket, 10);
        }
    }

    /** Logs in as the order's client: the greeting and authentication replies must be success. */
    Socket loggedIn() throws IOException {
        Socket socket = Socks.raw(port);
        socket.getOutputStream().write(Socks.greetingAndLogin(order.order().clientKey(), order.password()));
        assertThat(Socks.read(socket, 4)).containsExactly(5, 2, 1, 0);
        return socket;
    }

    /** Sends a request after logging in; answers the reply (10 bytes: IPv4 bound address). */
    byte[] request(byte[] request) throws IOException {
        try (Socket socket = loggedIn()) {
            socket.getOutputStream().write(request);
            byte[] reply = Socks.read(socket, 10);
            assertThat(Socks.closedByPeer(socket)).as("closed after the refusal").isTrue();
            return reply;
        }
    }

    static byte[] domainConnect(String host, int port) {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {5, CONNECT, 0, 3, (byte) name.length});
        out.writeBytes(name);
        out.write(port >> 8);
        out.write(port);
        return out.toByteArray();
    }

    // ------------------------------------------------------------ greeting

    @Test
    void socks4IsClosedWithoutAReply() throws IOException {
        try (Socket socket = Socks.raw(port)) {
            socket.getOutputStream().write(new byte[] {4, 1, 0, 80, 127, 0, 0, 1, 'u', 0});
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void garbageInsteadOfAGreetingIsClosed() throws IOException {
        try (Socket socket = Socks.raw(port)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void noAcceptableMethodIsAnsweredFF() throws IOException {
        try (Socket socket = Socks.raw(port)) {
            // offers only "no authentication" and GSSAPI
            socket.getOutputStream().write(new byte[] {5, 2, 0, 1});
            assertThat(Socks.read(socket, 3)).containsExactly(5, 0xff);
        }
    }

    // ------------------------------------------------------------ authentication

    @Test
    void wrongPasswordFails() throws IOException {
        try (Socket socket = Socks.raw(port)) {
            socket.getOutputStream().write(Socks.greetingAndLogin(order.order().clientKey(), "wrong"));
            byte[] reply = Socks.read(socket, 5);
            assertThat(reply).hasSize(4).startsWith(5, 2, 1);
            assertThat(reply[3] & 0xff).isEqualTo(AUTH_FAILURE);
        }
        Socks.credentials(port, order.order().clientKey(), "wrong");
        assertThatThrownBy(() -> Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.echoPort())))
                .isInstanceOf(SocketException.class);
        Socks.credentials(port, order.order().clientKey(), order.password());
    }

    @Test
    void unknownClientKeyFails() throws IOException {
        try (Socket socket = Socks.raw(port)) {
            socket.getOutputStream().write(Socks.greetingAndLogin("nobody", "nothing"));
            assertThat(Socks.read(socket, 5)).containsExactly(5, 2, 1, AUTH_FAILURE);
        }
    }

    @Test
    void aClientKeyOfAnotherProductFails() throws IOException {
        PlacedOrder elsewhere = Market.open(sessions).order();
        try (Socket socket = Socks.raw(port)) {
            socket.getOutputStream().write(Socks.greetingAndLogin(elsewhere.order().clientKey(), elsewhere.password()));
            assertThat(Socks.read(socket, 5)).containsExactly(5, 2, 1, AUTH_FAILURE);
        }
    }

    @Test
    void badAuthenticationVersionFails() throws IOException {
        try (Socket socket = Socks.raw(port)) {
            socket.getOutputStream().write(new byte[] {5, 1, 2, 9, 1, 'u', 1, 'p'});
            assertThat(Socks.read(socket, 5)).containsExactly(5, 2, 1, AUTH_FAILURE);
        }
    }

    // ------------------------------------------------------------ requests

    @Test
    void bindIsUnsupported() throws IOException {
        assertThat(request(Socks.command(BIND, LOCALHOST, targets.echoPort()))).startsWith(5, 7);
    }

    @Test
    void udpAssociateIsUnsupported() throws IOException {
        assertThat(request(Socks.command(UDP_ASSOCIATE, LOCALHOST, 0))).startsWith(5, 7);
    }

    @Test
    void unknownAddressTypeIsUnsupported() throws IOException {
        assertThat(request(new byte[] {5, CONNECT, 0, 9, 1, 2, 3, 4, 0, 80})).startsWith(5, 8);
    }

    @Test
    void aTargetRefusingTheConnectionIsConnectionRefused() throws IOException {
        assertThat(request(Socks.command(CONNECT, LOCALHOST, Targets.closedPort()))).startsWith(5, 5);
    }

    @Test
    void aNameThatDoesNotResolveIsHostUnreachable() throws IOException {
        assertThat(request(domainConnect("no-such-host.invalid", 80))).startsWith(5, 4);
    }

    @Test
    void localTargetsAreForbiddenUnlessAllowed() throws Exception {
        // a setting that is not exactly true or false keeps them forbidden
        for (Object setting : List.of(false, "maybe", "", 1)) {
            try (RunningAgent strict = RunningAgent.start(db, market, Map.of("callsign", "Strict",
                    "allowPrivateTargets", setting))) {
                int strictPort = strict.port();
                for (byte[] connect : new byte[][] {Socks.command(CONNECT, LOCALHOST, targets.echoPort()),
                    Socks.command(CONNECT, new byte[] {10, 1, 2, 3}, 80), domainConnect("localhost", targets.echoPort())}) {
                    try (Socket socket = Socks.raw(strictPort)) {
                        socket.getOutputStream().write(Socks.greetingAndLogin(order.order().clientKey(),
                                order.password()));
                        assertThat(Socks.read(socket, 4)).containsExactly(5, 2, 1, 0);
                        socket.getOutputStream().write(connect);
                        assertThat(Socks.read(socket, 10)).as("allowPrivateTargets = " + setting).startsWith(5, 2);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ stalled and vanishing clients

    @Test
    void aStalledHandshakeTimesOut() throws IOException {
        try (Socket silent = Socks.raw(port); Socket halfway = Socks.raw(port)) {
            halfway.getOutputStream().write(new byte[] {5, 1, 2, 1, 8});
            assertThat(Socks.read(halfway, 2)).containsExactly(5, 2);
            assertThat(Socks.closedByPeer(silent)).isTrue();
            assertThat(Socks.closedByPeer(halfway)).isTrue();
        }
    }

    @Test
    void aClientThatVanishesMidStreamIsStillReported() throws Exception {
        long received = 0;
        Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.httpPort()));
        socket.getOutputStream().write(Socks.request("/file"));
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (received < 100_000) {
            received += in.read(buffer);
        }
        // a reset, not a close: as a crashed client or a pulled cable looks
        socket.setSoLinger(true, 0);
        socket.close();
        long read = received;
        await().atMost(PATIENCE).untilAsserted(() -> {
            Order now = sessions.order(order.order().id());
            assertThat(sessions.sessions(order.order().id())).isNotEmpty().allMatch(s -> s.stopped() > 0);
            assertThat(now.bytesDown()).isBetween(read, Targets.FILE_SIZE + 1024L);
            assertThat(now.bytesUp()).isEqualTo(Socks.request("/file").length);
        });
    }

    @Test
    void aClientClosingBeforeItsTargetAnswersLeavesNothingBehind() throws IOException {
        try (Socket socket = loggedIn()) {
            OutputStream out = socket.getOutputStream();
            out.write(domainConnect("no-such-host.invalid", 80));
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            JSocksProxy.Status status = agent.plugin().status();
            assertThat(status.connections()).isZero();
            assertThat(status.clients()).isEmpty();
        });
    }

    // ------------------------------------------------------------ the log

    @Test
    void aUserNameIsLoggedQuotedAndCutAndRepeatedRefusalsOnce() throws IOException {
        String user = "evil\nINFO forged line" + "x".repeat(230);
        try (LogLines log = new LogLines()) {
            for (int i = 0; i < 20; i++) {
                try (Socket socket = Socks.raw(port)) {
                    socket.getOutputStream().write(Socks.greetingAndLogin(user, "nothing"));
                    assertThat(Socks.read(socket, 5)).containsExactly(5, 2, 1, AUTH_FAILURE);
                }
            }
            List<String> lines = log.containing("forged line");
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("\"evil\\nINFO forged line").contains("...(" + user.length() + " chars)")
                    .hasSizeLessThan(800);
        }
    }
}
