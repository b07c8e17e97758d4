package dev.switchboard.adapter.socks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.adapter.socks.testing.Socks;
import dev.switchboard.adapter.socks.testing.SocksTestBase;
import dev.switchboard.sessions.api.Order;

/**
 * A connection cut while the proxy holds bytes its peer has not taken yet: a slow client under a flood,
 * a slow target under an upload. What is still queued in the proxy is dropped, and the usage recorded is
 * what the peer received, to the byte. The peer reads until the end of the stream: the proxy closes in
 * order, so what the kernel still held for it (the proxy's send buffer, the peer's receive buffer) reaches
 * it too. Had the connection been reset instead, those bytes would be the only ones recorded and not
 * received.
 */
class CutUsageTest extends SocksTestBase {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Recorded before the cut: the relay is well under way and its queues are full. */
    static final long UNDER_WAY = 300_000;

    @BeforeEach
    void start() {
        startAgent(Map.of());
    }

    Order order() {
        return sessions.order(order.order().id());
    }

    /** Waits until every agent session of the order is stopped: its usage is final. */
    Order awaitStopped() {
        await().atMost(PATIENCE).until(() -> sessions.sessions(order.order().id()).stream()
                .filter(s -> s.side().equals("agent")).allMatch(s -> s.stopped() > 0));
        return order();
    }

    /**
     * Reads {@code socket} until the proxy closes it, a few KiB at a time while {@code slow}: far slower
     * than the target sends, so that the proxy's queue towards the client stays full.
     */
    static CompletableFuture<Long> readUntilClosed(Socket socket, AtomicLong received, AtomicBoolean slow) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] buffer = new byte[4096];
            try (socket; InputStream in = socket.getInputStream()) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    received.addAndGet(n);
                    if (slow.get()) {
                        Thread.sleep(5);
                    }
                }
            } catch (IOException | InterruptedException cut) {
                // closed by the proxy
            }
            return received.get();
        });
    }

    /** A flood read slowly through the proxy, cut by {@code cut} once under way: answers what arrived. */
    long floodCutBy(Runnable cut) throws Exception {
        Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.floodPort()));
        AtomicLong received = new AtomicLong();
        AtomicBoolean slow = new AtomicBoolean(true);
        CompletableFuture<Long> reading = readUntilClosed(socket, received, slow);
        await().atMost(PATIENCE).until(() -> order().bytesDown() > UNDER_WAY);
        cut.run();
        slow.set(false);
        return reading.get(60, TimeUnit.SECONDS);
    }

    @Test
    void anOperatorsTerminateRecordsWhatTheSlowClientReceived() throws Exception {
        long received = floodCutBy(() -> sessions.terminate(order.order().id()));
        Order recorded = awaitStopped();
        assertThat(recorded.bytesDown()).as("recorded against received").isEqualTo(received);
    }

    @Test
    void deactivationRecordsWhatTheSlowClientReceived() throws Exception {
        long received = floodCutBy(agent::close);
        Order recorded = awaitStopped();
        assertThat(recorded.bytesDown()).as("recorded against received").isEqualTo(received);
    }

    @Test
    void aCutUploadRecordsWhatTheSlowTargetReceived() throws Exception {
        long before = targets.sunk();
        Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.sinkPort()));
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            byte[] chunk = new byte[65_536];
            try (socket; OutputStream out = socket.getOutputStream()) {
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException cut) {
                // closed by the proxy
            }
        });
        await().atMost(PATIENCE).until(() -> order().bytesUp() > UNDER_WAY);
        sessions.terminate(order.order().id());
        writing.get(60, TimeUnit.SECONDS);
        long recorded = awaitStopped().bytesUp();
        // the sink reads on until the proxy's close reaches it
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(targets.sunk() - before)
                .as("what the target received against the recorded " + recorded).isEqualTo(recorded));
    }
}
