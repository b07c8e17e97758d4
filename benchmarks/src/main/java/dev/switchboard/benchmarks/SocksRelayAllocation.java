package dev.switchboard.benchmarks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.switchboard.adapter.socks.internal.JSocksProxy;
import dev.switchboard.adapter.socks.internal.RunningAgent;
import dev.switchboard.adapter.socks.testing.Market;
import dev.switchboard.adapter.socks.testing.Socks;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.internal.TestSessions;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;

/**
 * Issue target "metering adds no per-byte allocation on the data path": the heap bytes the SOCKS5 agent
 * proxy's netty event loops allocate while they relay, for transfers of very different sizes.
 *
 * <p>The agent proxy runs in this process as the adapter's own tests run it ({@code RunningAgent},
 * {@code Market} and {@code TestSessions} from the adapter's test-jar: the real {@code SocksAgentPlugin}
 * over the real Sessions service on an H2 file, one order, usage reported every second). A java.net SOCKS5
 * client ({@code new Socket(Proxy)}, RFC 1929 credentials, the order's client key and password, from an
 * {@link java.net.Authenticator}) connects through it over loopback to a source server on 127.0.0.1, sends
 * an 8-byte length and reads that many bytes until the server closes: one connection, one session per
 * transfer. Around each transfer (connect to the moment its usage is recorded in the Sessions database)
 * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} gives the bytes allocated by the proxy's
 * event-loop threads ({@code switchboard-<callsign>-io-*}, which carry the handshake and every relayed
 * buffer; the Sessions calls run on the meter's own threads and are not counted).
 *
 * <p>After a warm-up on every event loop (JIT, pooled-buffer caches), rounds of a transfer of 0 bytes (the
 * handshake and session only), a small and a large one. A cost per connection allocates the same for each;
 * per-byte allocation (a copy, an unpooled or heap buffer, a wrapper per read) grows with the bytes moved,
 * by the ratio of the sizes. Printed: bytes allocated per transfer and per MiB moved, the medians, the ratio
 * large/small and the marginal allocation per MiB between them, and the usage the database recorded for
 * the order against the bytes moved (must be equal).
 *
 * <p>Two phases: first as deployed, netty's defaults (its resource leak detector at level {@code simple},
 * which tracks one allocated buffer in 128 with a recorded stack trace), then with the leak detector
 * disabled at run time, which tells its share of what grows with the bytes moved from the relay's and the
 * meter's own.
 *
 * <p>Usage: {@code SocksRelayAllocation [small MiB=64] [large MiB=1024] [rounds=3]}
 */
public final class SocksRelayAllocation {

    static final long MIB = 1L << 20;
    static final int CHUNK = 64 * 1024;
    static final String CALLSIGN = "AllocBench";
    /** The proxy's event-loop threads: netty's DefaultThreadFactory("switchboard-" + callsign + "-io"). */
    static final String LOOP_PREFIX = "switchboard-" + CALLSIGN + "-io";
    /** Warm-up: transfers of this size, two for each event loop. */
    static final long WARMUP_BYTES = 128 * MIB;
    /** What the client sends per transfer: the length it asks for. */
    static final int REQUEST_BYTES = Long.BYTES;
    static final long PATIENCE_MS = 30_000;
    /** Marginal bytes per MiB moved from which allocation counts as per-byte: one byte per 64 KiB read. */
    static final int PER_BYTE_THRESHOLD = 16;
    /** netty's default: one buffer in this many is tracked by its leak detector (io.netty.leakDetection.samplingInterval). */
    static final int SAMPLING_INTERVAL = Integer.getInteger("io.netty.leakDetection.samplingInterval", 128);

    /** Unpaid bytes the order may use: far more than the run moves, so its service stays active. */
    static final long LAG = 1L << 50;
    /** Liquibase logs each migration step through java.util.logging; held here so the setting stays. */
    static final java.util.logging.Logger LIQUIBASE = java.util.logging.Logger.getLogger("liquibase");

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One measured transfer. */
    record Transfer(long bytes, long allocated, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        long small = (args.length > 0 ? Long.parseLong(args[0]) : 64) * MIB;
        long large = (args.length > 1 ? Long.parseLong(args[1]) : 1024) * MIB;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot tell the bytes a thread allocated");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);

        LIQUIBASE.setLevel(java.util.logging.Level.WARNING);
        // nor does it print its update summary
        System.setProperty("liquibase.command.showSummary", "OFF");
        Path dir = Files.createTempDirectory("switchboard-socks-alloc");
        try (TestSessions db = TestSessions.open(dir); Source source = new Source()) {
            Sessions sessions = db.sessions();
            Market market = Market.open(sessions, LAG);
            PlacedOrder order = market.order();
            try (RunningAgent agent = RunningAgent.start(db, market, Map.of("callsign", CALLSIGN))) {
                int port = agent.port();
                Socks.credentials(port, order.order().clientKey(), order.password());
                Bench bench = new Bench(port, source.address(), sessions, order, agent);
                System.out.printf("SOCKS5 agent proxy in process on 127.0.0.1:%d, Sessions on H2, java.net SOCKS5 client"
                        + " reading from a source server on %s; heap bytes allocated by the proxy's event-loop threads"
                        + " (%s-*) per transfer, from connect until its usage is recorded%n", port, source.address(),
                        LOOP_PREFIX);

                Level deployed = ResourceLeakDetector.getLevel();
                double asDeployed = bench.phase("as deployed: netty's resource leak detection " + deployed
                        + (System.getProperty("io.netty.leakDetection.level") == null ? " (its default)" : "")
                        + ", which tracks 1 allocated buffer in " + SAMPLING_INTERVAL, small, large, rounds);
                ResourceLeakDetector.setLevel(Level.DISABLED);
                double withoutLeakDetection = bench.phase("netty's resource leak detection DISABLED"
                        + " (ResourceLeakDetector.setLevel, as -Dio.netty.leakDetection.level=disabled does)",
                        small, large, rounds);
                ResourceLeakDetector.setLevel(deployed);

                System.out.println();
                bench.printUsage();
                boolean perByteDeployed = asDeployed >= PER_BYTE_THRESHOLD;
                boolean perByteWithout = withoutLeakDetection >= PER_BYTE_THRESHOLD;
                System.out.printf("marginal allocation per MiB moved: %,.1f bytes as deployed, %,.1f with netty's leak"
                        + " detection disabled (per-byte allocation: at least %d, one byte per 64 KiB)%n", asDeployed,
                        withoutLeakDetection, PER_BYTE_THRESHOLD);
                System.out.printf("target: metering adds no per-byte allocation on the data path: %s%n",
                        !perByteDeployed ? "met"
                                : !perByteWithout ? "met by the relay and its metering; as deployed NOT met: what grows"
                                        + " with the bytes moved is netty's leak detector sampling the read buffers"
                                        : "NOT met, even with netty's leak detection disabled");
            }
        } finally {
            delete(dir);
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    static double mib(long bytes) {
        return (double) bytes / MIB;
    }

    static String size(long bytes) {
        if (bytes == 0) {
            return "0 B";
        }
        return bytes % (1L << 30) == 0 ? bytes / (1L << 30) + " GiB" : bytes / MIB + " MiB";
    }

    static long median(List<Transfer> transfers) {
        long[] values = transfers.stream().mapToLong(Transfer::allocated).sorted().toArray();
        return values[values.length / 2];
    }

    /** The proxy's event-loop threads now, by id. */
    static Map<Long, String> loopThreads() {
        Map<Long, String> loops = new LinkedHashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(LOOP_PREFIX)) {
                loops.put(thread.getId(), thread.getName());
            }
        }
        return loops;
    }

    /** Bytes allocated so far by each event-loop thread (threads started later count from 0). */
    static Map<Long, Long> allocated() {
        Map<Long, String> loops = loopThreads();
        long[] ids = loops.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> result = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                result.put(ids[i], bytes[i]);
            }
        }
        return result;
    }

    static long since(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    /** Transfers through the proxy and keeps the books: bytes moved, and what the proxy and the database say. */
    static final class Bench {

        final int port;
        final InetSocketAddress source;
        final Sessions sessions;
        final PlacedOrder order;
        final RunningAgent agent;
        long movedUp;
        long movedDown;
        int transfers;

        Bench(int port, InetSocketAddress source, Sessions sessions, PlacedOrder order, RunningAgent agent) {
            this.port = port;
            this.source = source;
            this.sessions = sessions;
            this.order = order;
            this.agent = agent;
        }

        /**
         * One connection through the proxy reading {@code bytes} from the source; returns once the order's
         * usage in the database includes it (its session stopped), with what the event loops allocated meanwhile.
         */
        Transfer transfer(long bytes) throws Exception {
            Map<Long, Long> before = allocated();
            long start = System.nanoTime();
            long received = 0;
            try (Socket socket = new Socket(Socks.proxy(port))) {
                socket.setSoTimeout(60_000);
                socket.connect(source, 30_000);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeLong(bytes);
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[CHUNK];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received += n;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (received != bytes) {
                throw new IOException("asked for " + bytes + " bytes through the proxy, received " + received);
            }
            movedUp += REQUEST_BYTES;
            movedDown += bytes;
            transfers++;
            awaitRecorded();
            long allocated = since(before, allocated());
            return new Transfer(bytes, allocated, seconds);
        }

        /**
         * Warms up on every event loop, then rounds of transfers of 0 bytes, {@code small} and {@code large};
         * prints them and their medians and answers the marginal allocation per MiB between small and large.
         */
        double phase(String title, long small, long large, int rounds) throws Exception {
            System.out.println();
            System.out.println(title + ":");
            long warmupAllocated = 0;
            int warmups = 0;
            // at least two transfers per event loop: connections are assigned to the loops round-robin
            for (int loops = 4; warmups < 2 * loops; warmups++) {
                warmupAllocated += transfer(WARMUP_BYTES).allocated;
                loops = Math.max(loops, loopThreads().size());
            }
            System.out.printf("  warm-up: %d transfers of %d MiB, %,d bytes allocated by the event loops (%,.0f per"
                    + " transfer)%n", warmups, WARMUP_BYTES / MIB, warmupAllocated, (double) warmupAllocated / warmups);
            Map<Long, List<Transfer>> bySize = new TreeMap<>();
            for (long size : new long[] {0, small, large}) {
                bySize.put(size, new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                for (long size : bySize.keySet()) {
                    Transfer t = transfer(size);
                    bySize.get(size).add(t);
                    System.out.printf("  round %d: %9s moved, %,12d bytes allocated by the event loops%s%n", round,
                            size(size), t.allocated,
                            size == 0 ? "   (handshake and session only)"
                                    : String.format(", %,9.1f per MiB, %,6.0f MiB/s", t.allocated / mib(size),
                                            mib(size) / t.seconds));
                }
            }
            long zero = median(bySize.get(0L));
            long atSmall = median(bySize.get(small));
            long atLarge = median(bySize.get(large));
            System.out.printf("  median per transfer (%d rounds): %s %,d bytes; %s %,d (%,.1f per MiB); %s %,d"
                    + " (%,.1f per MiB)%n", rounds, size(0), zero, size(small), atSmall, atSmall / mib(small),
                    size(large), atLarge, atLarge / mib(large));
            double ratio = (double) atLarge / atSmall;
            double marginal = (atLarge - atSmall) / (mib(large) - mib(small));
            System.out.printf("  ratio %s/%s: allocation x%.2f for x%.0f the bytes (all per-byte: x%.0f; all per"
                    + " connection: x1)%n", size(large), size(small), ratio, (double) large / small,
                    (double) large / small);
            System.out.printf("  marginal: %,.1f bytes per MiB moved (%.2f per 64 KiB): %s%n", marginal, marginal / 16,
                    marginal >= PER_BYTE_THRESHOLD ? "allocation grows with the bytes moved" : "a constant cost only");
            return marginal;
        }

        /** Waits until every session of the order is stopped and the order's totals are the bytes moved. */
        void awaitRecorded() throws Exception {
            long deadline = System.currentTimeMillis() + PATIENCE_MS;
            while (true) {
                Order now = sessions.order(order.order().id());
                List<SessionInfo> agentSide = sessions.sessions(order.order().id()).stream()
                        .filter(s -> s.side().equals("agent")).toList();
                if (agentSide.size() == transfers && agentSide.stream().allMatch(s -> s.stopped() > 0)
                        && now.bytesUp() == movedUp && now.bytesDown() == movedDown) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(String.format("after %d transfers (%d bytes up, %d down) the"
                            + " database has %d agent sessions, %d stopped, and records %d bytes up, %d down",
                            transfers, movedUp, movedDown, agentSide.size(),
                            agentSide.stream().filter(s -> s.stopped() > 0).count(), now.bytesUp(), now.bytesDown()));
                }
                Thread.sleep(5);
            }
        }

        void printUsage() {
            Order recorded = sessions.order(order.order().id());
            JSocksProxy.Status status = agent.plugin().status();
            boolean match = recorded.bytesUp() == movedUp && recorded.bytesDown() == movedDown
                    && status.bytesUp() == movedUp && status.bytesDown() == movedDown;
            System.out.printf("usage over all %d transfers: moved %,d bytes up, %,d down; the proxy counted %,d up,"
                    + " %,d down; the Sessions database recorded for the order %,d up, %,d down in %d sessions: %s%n",
                    transfers, movedUp, movedDown, status.bytesUp(), status.bytesDown(), recorded.bytesUp(),
                    recorded.bytesDown(), sessions.sessions(order.order().id()).size(),
                    match ? "match" : "MISMATCH");
            if (!match) {
                throw new IllegalStateException("recorded usage differs from the bytes moved");
            }
        }
    }

    /**
     * A blocking server on 127.0.0.1: per connection it reads an 8-byte length, writes that many
     * (incompressible) bytes and closes.
     */
    static final class Source implements AutoCloseable {

        private static final byte[] DATA = new byte[CHUNK];

        static {
            new SecureRandom().nextBytes(DATA);
        }

        private final LoopbackServer server;

        Source() throws IOException {
            server = new LoopbackServer("source", 50, Source::serve);
        }

        InetSocketAddress address() {
            return server.address();
        }

        private static void serve(Socket socket) {
            try (socket) {
                long left = new DataInputStream(socket.getInputStream()).readLong();
                OutputStream out = socket.getOutputStream();
                while (left > 0) {
                    int n = (int) Math.min(left, DATA.length);
                    out.write(DATA, 0, n);
                    left -= n;
                }
            } catch (IOException e) {
                System.out.println("source server: " + e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private SocksRelayAllocation() {
    }
}
