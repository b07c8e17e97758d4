package dev.switchboard.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Start-up of the launcher distribution, as a user runs it: the time from launching {@code bin/switchboard} to
 * the first JSON-RPC answer and to the ready line (every configured plugin in its start state), on a first start
 * (empty data/) and on a second start of the same copy, median of 5 each; the host's CPU time and resident
 * memory at that point; then one start-up profile of a second start: where the time goes, per bundle and per
 * step the host logs (Jetty, H2 open, schema check, key load, each plugin).
 *
 * <p>Usage: {@code StartupBenchmark <distribution dir> [starts]}
 */
public final class StartupBenchmark {

    private static final String EXISTS = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Controller.1.exists\",\"params\":{\"method\":\"status\"}}";
    /** Log lines that mark a step of the start, in the order they happen. */
    private static final Map<String, String> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("Felix HTTP: Jetty started", "Started Jetty");
        STEPS.put("JSON-RPC endpoint registered", "Switchboard JSON-RPC at");
        STEPS.put("Controller activated", "Plugin Controller activated");
        STEPS.put("DeviceInfo activated", "Plugin DeviceInfo activated");
        STEPS.put("SecurityAgent: token key loaded", "TokenKeys - ");
        STEPS.put("SecurityAgent activated", "Plugin SecurityAgent activated");
        STEPS.put("Sessions: H2 pool opening", "switchboard-sessions - Starting");
        STEPS.put("Sessions: schema found current", "Sessions database schema is up to date");
        STEPS.put("Sessions activated", "Plugin Sessions activated");
        STEPS.put("ready line", "Switchboard ready in");
    }

    /** When the last start was launched (wall clock, to place the log's lines). */
    private static long launchedAtMillis;
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    record Start(double firstAnswer, double ready, double cpuSeconds, long rssKib, int threads, String load) {
    }

    public static void main(String[] args) throws Exception {
        Path built = Path.of(args.length > 0 ? args[0] : "launcher/target/switchboard").toAbsolutePath();
        int starts = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path home = JsonRpcThroughput.copy(built);
        System.out.printf("%d processors; Java of the host: %s%n", Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("JAVA_HOME", "java on PATH"));
        List<Start> first = new ArrayList<>();
        List<Start> second = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            clearData(home);
            first.add(start(home, null));
            second.add(start(home, null));
        }
        print("first start (empty data/)", first);
        print("second start (data/ kept)", second);
        Path profile = home.resolve("log/startup-profile.txt");
        Start profiled = start(home, profile);
        System.out.printf("%nprofile of a second start (launched at 0 ms; first answer at %.0f ms, ready at %.0f ms):%n",
                profiled.firstAnswer() * 1000, profiled.ready() * 1000);
        printProfile(profile);
    }

    /** Starts the host, waits for its first answer and its ready line, measures it, and stops it with SIGTERM. */
    static Start start(Path home, Path profile) throws Exception {
        Files.deleteIfExists(home.resolve("log/console.log"));
        int port = JsonRpcThroughput.freePort();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/switchboard").toString(), "--port", String.valueOf(port)));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("log/console.log").toFile());
        if (profile != null) {
            builder.environment().merge("JAVA_OPTS", "-Dswitchboard.startup.profile=" + profile, (a, b) -> a + " " + b);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest exists = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jsonrpc"))
                .POST(HttpRequest.BodyPublishers.ofString(EXISTS)).timeout(Duration.ofSeconds(2)).build();
        String load = ProcStat.load();
        long launched = System.nanoTime();
        launchedAtMillis = System.currentTimeMillis();
        Process host = builder.start();
        try {
            double firstAnswer = -1;
            double ready = -1;
            long deadline = launched + Duration.ofSeconds(180).toNanos();
            while ((firstAnswer < 0 || ready < 0) && System.nanoTime() < deadline && host.isAlive()) {
                if (firstAnswer < 0 && answers(client, exists)) {
                    firstAnswer = (System.nanoTime() - launched) / 1e9;
                }
                if (ready < 0 && Files.readString(home.resolve("log/console.log")).contains("Switchboard ready in")) {
                    ready = (System.nanoTime() - launched) / 1e9;
                }
                Thread.sleep(5);
            }
            if (firstAnswer < 0 || ready < 0) {
                throw new IllegalStateException("the host did not get ready within 180 s; see " + home.resolve("log"));
            }
            double cpu = ProcStat.cpuSeconds(host.pid());
            long rss = JsonRpcThroughput.residentKib(host.pid());
            int threads = ProcStat.threads(host.pid());
            return new Start(firstAnswer, ready, cpu, rss, threads, load);
        } finally {
            host.destroy();
            host.waitFor();
        }
    }

    private static boolean answers(HttpClient client, HttpRequest exists) {
        try {
            HttpResponse<String> response = client.send(exists, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"result\":true");
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void print(String title, List<Start> starts) {
        System.out.printf("%n%s, %d starts (load average at each: %s):%n", title, starts.size(),
                String.join(" ", starts.stream().map(Start::load).toList()));
        System.out.printf("  launch to first answer:  median %.2f s (%s)%n", median(starts, Start::firstAnswer),
                list(starts, Start::firstAnswer));
        System.out.printf("  launch to ready line:    median %.2f s (%s)%n", median(starts, Start::ready),
                list(starts, Start::ready));
        System.out.printf("  host CPU time at ready:  median %.2f s (%s)%n", median(starts, Start::cpuSeconds),
                list(starts, Start::cpuSeconds));
        System.out.printf("  resident memory at ready: median %.0f MiB, threads median %.0f%n",
                median(starts, s -> s.rssKib() / 1024.0), median(starts, s -> (double) s.threads()));
    }

    private static double median(List<Start> starts, ToDoubleFunction<Start> figure) {
        double[] values = starts.stream().mapToDouble(figure).sorted().toArray();
        return values[values.length / 2];
    }

    private static String list(List<Start> starts, ToDoubleFunction<Start> figure) {
        return String.join(" ", starts.stream().map(s -> String.format("%.2f", figure.applyAsDouble(s))).toList());
    }

    /** The profile the launcher wrote (ms since the JVM started), then the host's own steps from its log. */
    private static void printProfile(Path profile) throws IOException {
        List<String> lines = Files.readAllLines(profile);
        System.out.println("  launcher steps (ms since the JVM started):");
        lines.stream().filter(l -> l.contains(" launcher ")).forEach(l -> System.out.println("    " + l));
        long resolved = lines.stream().filter(l -> l.endsWith(" resolved")).count();
        System.out.printf("  %d bundles resolved, the last at %s ms%n", resolved, lines.stream()
                .filter(l -> l.endsWith(" resolved")).reduce((a, b) -> b).map(l -> l.split(" ")[0]).orElse("-"));
        System.out.println("  slowest bundle activators:");
        lines.stream().filter(l -> l.contains(" started in ")).sorted(Comparator.comparingLong(StartupBenchmark::tookMillis)
                .reversed()).limit(8).forEach(l -> System.out.println("    " + l));
        System.out.println("  steps from log/switchboard.log (ms since launch):");
        Path log = profile.getParent().resolve("switchboard.log");
        List<String> logLines = Files.readAllLines(log);
        int from = lastStart(logLines);
        for (Map.Entry<String, String> step : STEPS.entrySet()) {
            logLines.subList(from, logLines.size()).stream().filter(l -> l.contains(step.getValue())).findFirst()
                    .ifPresent(l -> System.out.printf("    %6d %s%n", logMillis(l) - launchedAtMillis, step.getKey()));
        }
    }

    private static long tookMillis(String line) {
        String[] words = line.split(" ");
        return Long.parseLong(words[words.length - 2]);
    }

    /** The index of the last start's first line in the log (the log keeps every start). */
    private static int lastStart(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains("starting: Java")) {
                for (int j = i; j >= 0; j--) {
                    if (logMillis(lines.get(j)) < launchedAtMillis) {
                        return j + 1;
                    }
                }
                return 0;
            }
        }
        return 0;
    }

    private static long logMillis(String line) {
        if (line.length() < 23 || !Character.isDigit(line.charAt(0))) {
            return Long.MIN_VALUE;
        }
        try {
            return LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (RuntimeException notATimestamp) {
            return Long.MIN_VALUE;
        }
    }

    private static void clearData(Path home) throws IOException {
        Path data = home.resolve("data");
        if (Files.exists(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(data)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private StartupBenchmark() {
    }
}
