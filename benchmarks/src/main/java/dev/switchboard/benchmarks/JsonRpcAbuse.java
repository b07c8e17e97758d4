package dev.switchboard.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client cannot take the host's memory: a copy of the distribution is flooded by WebSocket
 * clients each sending batches of {@code Controller.1.status} calls (a fifth of them never read
 * their answers), while one well-behaved client calls {@code Controller.1.status} one call at a
 * time. Prints the host's resident memory and the good client's latency under the flood beside a
 * baseline: the same good client against the idle host, in the same run. Targets: resident memory
 * under 512 MiB, p99 under 100 ms. Enforcement is off, so that the flood measures the transport.
 *
 * <p>Usage: {@code JsonRpcAbuse <distribution dir> [flooding clients] [seconds measured]}
 */
public final class JsonRpcAbuse {

    private static final String STATUS = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"Controller.1.status\"}";
    private static final int BATCH = 100;

    public static void main(String[] args) throws Exception {
        Path built = Path.of(args.length > 0 ? args[0] : "launcher/target/switchboard").toAbsolutePath();
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path home = JsonRpcThroughput.copy(built);
        Files.writeString(home.resolve("etc/dev.switchboard.rpc.cfg"), "enforce=false\n");
        int port = JsonRpcThroughput.freePort();
        Process host = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "--port", String.valueOf(port))
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("log/console.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/jsonrpc");
        List<Flooder> flooders = new ArrayList<>();
        try {
            // its own client (and selector thread), so that its answers are not read behind the flood's;
            // it measures from this thread, which does nothing else
            Caller good = Caller.await(HttpClient.newHttpClient(), uri, host);
            good.measure(Duration.ofSeconds(5)); // warm-up
            long[] idle = good.measure(Duration.ofSeconds(seconds));
            long idleKib = JsonRpcThroughput.residentKib(host.pid());

            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < BATCH; i++) {
                batch.append(i == 0 ? "" : ",").append(String.format(STATUS, i));
            }
            batch.append(']');
            for (int i = 0; i < clients; i++) {
                flooders.add(new Flooder(http, uri, batch.toString(), i % 5 != 4));
            }
            flooders.forEach(Flooder::start);
            AtomicLong peakKib = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    try {
                        peakKib.accumulateAndGet(JsonRpcThroughput.residentKib(host.pid()), Math::max);
                        Thread.sleep(250);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            sampler.start();
            Thread.sleep(5_000); // the flood builds up
            long[] flooded = good.measure(Duration.ofSeconds(seconds));
            sampling.set(false);
            sampler.join();
            long floodedKib = JsonRpcThroughput.residentKib(host.pid());
            long admitted = flooders.stream().mapToLong(f -> f.answered.get()).sum();
            long refused = flooders.stream().mapToLong(f -> f.refused.get()).sum();
            long closed = flooders.stream().filter(f -> f.closed.get()).count();

            System.out.printf("flood: %d WebSocket clients sending batches of %d Controller.1.status, %d of them not reading%n",
                    clients, BATCH, flooders.stream().filter(f -> !f.reads).count());
            System.out.printf("batches answered %,d, refused as busy (-32001) %,d; clients closed by the host %d%n",
                    admitted, refused, closed);
            System.out.printf("good client, idle host:  %,d calls, p50 %.1f ms, p99 %.1f ms%n", idle.length,
                    percentile(idle, 50), percentile(idle, 99));
            System.out.printf("good client, flooded:    %,d calls, p50 %.1f ms, p99 %.1f ms (ratio p99 %.1f)%n",
                    flooded.length, percentile(flooded, 50), percentile(flooded, 99),
                    percentile(flooded, 99) / percentile(idle, 99));
            System.out.printf("host resident memory: idle %d MiB, flooded peak %d MiB, at end %d MiB (ratio peak/idle %.2f)%n",
                    idleKib / 1024, peakKib.get() / 1024, floodedKib / 1024, peakKib.get() / (double) idleKib);
            boolean memory = peakKib.get() < 512 * 1024;
            boolean latency = percentile(flooded, 99) < 100;
            System.out.printf("machine: %d processors shared by the host and this flood generator, load average %.2f%n",
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("targets: resident memory under 512 MiB %s, p99 under 100 ms %s%n",
                    memory ? "met" : "NOT met", latency ? "met" : "NOT met");
        } finally {
            flooders.forEach(Flooder::stop);
            host.destroy();
            host.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static double percentile(long[] nanos, int percent) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)] / 1e6;
    }

    /** Whole text messages of one WebSocket, queued as they arrive. */
    private static class Messages implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    /** The well-behaved client: one call, waits for its answer, the next call. */
    private static final class Caller {
        private final Messages messages = new Messages();
        private final WebSocket socket;
        private long id;

        private Caller(HttpClient http, URI uri) {
            socket = http.newWebSocketBuilder().buildAsync(uri, messages).join();
        }

        static Caller await(HttpClient http, URI uri, Process host) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (host.isAlive() && System.nanoTime() < deadline) {
                try {
                    Caller caller = new Caller(http, uri);
                    if (caller.call().contains("\"result\"")) {
                        return caller;
                    }
                } catch (Exception notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("Controller.1.status not answered within 60 s");
        }

        String call() throws Exception {
            socket.sendText(String.format(STATUS, ++id), true).join();
            String answer = messages.received.poll(30, TimeUnit.SECONDS);
            if (answer == null) {
                throw new IllegalStateException("no answer within 30 s");
            }
            return answer;
        }

        /** Latencies in nanoseconds of the calls made in {@code time}. */
        long[] measure(Duration time) throws Exception {
            List<Long> latencies = new ArrayList<>();
            long end = System.nanoTime() + time.toNanos();
            long failed = 0;
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                if (!call().contains("\"result\"")) {
                    failed++;
                }
                latencies.add(System.nanoTime() - start);
            }
            if (failed > 0) {
                System.out.printf("good client: %d of %d calls were not answered with a result%n", failed, latencies.size());
            }
            return latencies.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** A flooding client: sends a batch, and when it reads, waits for the answer before the next. */
    private static final class Flooder {
        final boolean reads;
        final AtomicLong answered = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Messages messages;
        private final CompletableFuture<WebSocket> socket;
        private final String batch;
        private final Thread thread;

        Flooder(HttpClient http, URI uri, String batch, boolean reads) {
            this.reads = reads;
            this.batch = batch;
            this.messages = reads ? new Messages() : new Messages() {
                @Override
                public void onOpen(WebSocket ws) {
                    // never asks for a message: the host's answers stay unread
                }
            };
            this.socket = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                @Override
                public void onOpen(WebSocket ws) {
                    messages.onOpen(ws);
                }

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    return messages.onText(ws, data, last);
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                    closed.set(true);
                    return null;
                }

                @Override
                public void onError(WebSocket ws, Throwable error) {
                    closed.set(true);
                }
            });
            this.thread = new Thread(this::flood, "flooder");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            running.set(false);
            thread.interrupt();
            socket.thenAccept(WebSocket::abort);
        }

        private void flood() {
            try {
                WebSocket ws = socket.join();
                while (running.get() && !closed.get()) {
                    ws.sendText(batch, true).get(10, TimeUnit.SECONDS);
                    if (reads) {
                        String answer = messages.received.poll(30, TimeUnit.SECONDS);
                        if (answer == null) {
                            continue;
                        }
                        (answer.contains("-32001") ? refused : answered).incrementAndGet();
                    }
                }
            } catch (Exception e) {
                closed.set(true);
            }
        }
    }

    private JsonRpcAbuse() {
    }
}
