package dev.switchboard.adapter.openvpn.internal.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.Writer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.adapter.openvpn.internal.management.Notification.ClientBytes;
import dev.switchboard.api.config.LogLines;

/** The link against a socket that speaks as OpenVPN's management interface does, lines taken from a real run. */
class ManagementLinkTest {

    @TempDir
    Path dir;

    private final List<Notification> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final ManagementLink.Listener listener = new ManagementLink.Listener() {
        @Override
        public void notification(Notification notification) {
            received.add(notification);
        }

        @Override
        public void closed(ManagementLink link) {
            closed.set(true);
        }
    };

    @Test
    void answersGoToTheirCommandsNotificationsToTheListenerAndAnUnknownMessageIsLoggedOnce() throws Exception {
        Path socket = dir.resolve("m.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                LogLines log = new LogLines()) {
            server.bind(UnixDomainSocketAddress.of(socket));
            ManagementLink link = ManagementLink.connect("test", socket, listener, ManagementLink.newUnknownLog());
            try (SocketChannel peer = server.accept()) {
                Writer out = Channels.newWriter(peer, StandardCharsets.UTF_8);
                var status = link.multiLine("status 3");
                var kill = link.command("client-kill 9");
                out.write(">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info\n"
                        + "HEADER\tCLIENT_LIST\tCommon Name\tReal Address\tVirtual Address\tVirtual IPv6 Address\t"
                        + "Bytes Received\tBytes Sent\tConnected Since\tConnected Since (time_t)\tUsername\tClient ID\t"
                        + "Peer ID\tData Channel Cipher\n"
                        + ">BYTECOUNT_CLI:0,1556,2228\n"
                        + "CLIENT_LIST\tkey1\t127.0.0.1:38111\t10.77.0.2\t\t1484\t2228\t2026-12-02 13:58:53\t1796219933\t"
                        + "key1\t0\t0\tAES-256-GCM\n"
                        + "END\n"
                        + ">SOMETHING_NEW:a\n>SOMETHING_NEW:b\n>CLIENT:WHATEVER,1\n"
                        + "ERROR: client-kill command failed\n");
                out.flush();
                Reply list = status.get(5, TimeUnit.SECONDS);
                assertThat(ClientList.parse(list.lines())).containsExactly(
                        new ClientList.Row(0, "key1", "127.0.0.1:38111", "10.77.0.2", 1484, 2228, 1796219933));
                assertThat(kill.get(5, TimeUnit.SECONDS)).isEqualTo(
                        new Reply(false, "client-kill command failed", List.of()));
                assertThat(received).contains(new ClientBytes(0, 1556, 2228));
                assertThat(received).noneMatch(n -> n instanceof Notification.Unknown);
                assertThat(log.containing("SOMETHING_NEW")).hasSize(1);
                assertThat(log.containing("CLIENT:WHATEVER")).hasSize(1);
            }
            await().atMost(Duration.ofSeconds(5)).untilTrue(closed);
            assertThat(link.command("status").isCompletedExceptionally()).isTrue();
        }
    }

    @Test
    void aClientBlockIsOneEventAndItsPasswordIsNeverShown() {
        NotificationParser parser = new NotificationParser();
        assertThat(parser.parse(">CLIENT:CONNECT,0,1")).isNull();
        assertThat(parser.parse(">CLIENT:ENV,password=secret")).isNull();
        assertThat(parser.parse(">CLIENT:ENV,username=key1")).isNull();
        assertThat(parser.parse(">CLIENT:ENV,untrusted_ip=127.0.0.1")).isNull();
        Notification event = parser.parse(">CLIENT:ENV,END");
        assertThat(event).isInstanceOfSatisfying(Notification.ClientEvent.class, e -> {
            assertThat(e.kind()).isEqualTo(Notification.ClientEventKind.CONNECT);
            assertThat(e.cid()).isZero();
            assertThat(e.kid()).isEqualTo(1);
            assertThat(e.env("password")).isEqualTo("secret");
            assertThat(e.toString()).doesNotContain("secret");
        });
        assertThat(parser.parse(">CLIENT:ADDRESS,0,10.77.0.2,1")).isInstanceOf(Notification.Known.class);
        assertThat(parser.parse(">BYTECOUNT:10,20")).isEqualTo(new Notification.Bytes(10, 20));
        assertThat(parser.parse(">STATE:1796219933,CONNECTED,SUCCESS,10.77.0.2,127.0.0.1,11940,,"))
                .isEqualTo(new Notification.State(1796219933, "CONNECTED", "SUCCESS", "10.77.0.2"));
    }

    @Test
    void malformedMessagesAreRefusedWithTheirLine() {
        NotificationParser parser = new NotificationParser();
        assertThat(catching(() -> parser.parse(">BYTECOUNT_CLI:0,x,2"))).contains("not a count: x");
        assertThat(catching(() -> parser.parse(">CLIENT:ENV,a=b"))).contains("outside a CLIENT block");
        assertThat(catching(() -> parser.parse(">CLIENT:CONNECT,1"))).contains("with 1 fields");
    }

    private static String catching(Runnable r) {
        try {
            r.run();
            return "nothing thrown";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

}
