package dev.switchboard.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The request path of the launcher distribution as it is shipped (enforcement on), driven by {@code wrk} (a C load
 * generator, one thread, so that it takes little of the host's CPU), each case against a bare Jetty 12 handler in
 * this process answering the same bytes, alternating: tokenless {@code Controller.1.exists},
 * {@code SecurityAgent.1.validate} with a token checked against the ACL, {@code DeviceInfo.1.versions} with a
 * token; requests/s with p50/p99 at 16 connections and p50 at one; the host's CPU per 1,000 validate calls and
 * its resident memory idle and after the load. Thunder's figures, measured on another day on the same kind of
 * machine, are printed beside them. Installs Debian's wrk when it is missing.
 *
 * <p>Usage: {@code WrkThroughput <distribution dir> [seconds per run] [connections]}
 */
public final class WrkThroughput {

    /** Thunder R5.3.0 with its SecurityAgent, measured with wrk on the same kind of machine on another day. */
    private static final String[][] THUNDER = {
        {"tokenless Controller.1.exists", "12,600/s", "-", "-", "245 us"},
        {"SecurityAgent.1.validate, token + ACL", "7,200/s", "1.97 ms", "5.29 ms", "-"},
        {"DeviceInfo.1.versions, token", "-", "-", "-", "-"},
    };

    record Case(String name, String body, boolean withToken) {
    }

    record Run(double rate, double p50Millis, double p99Millis) {
    }

    public static void main(String[] args) throws Exception {
        Path built = Path.of(args.length > 0 ? args[0] : "launcher/target/switchboard").toAbsolutePath();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        ensureWrk();
        Path home = JsonRpcThroughput.copy(built);
        int port = JsonRpcThroughput.freePort();
        Process host = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "--port", String.valueOf(port))
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("log/console.log").toFile()).start();
        List<Server> bares = new ArrayList<>();
        try {
            String token = Host.awaitToken(home, host);
            URI switchboard = URI.create("http://127.0.0.1:" + port + "/jsonrpc");
            List<Case> cases = List.of(
                    new Case("tokenless Controller.1.exists", request("Controller.1.exists", "{\"method\":\"status\"}"), false),
                    new Case("SecurityAgent.1.validate, token + ACL",
                            request("SecurityAgent.1.validate", "{\"token\":\"" + token + "\"}"), true),
                    new Case("DeviceInfo.1.versions, token", request("DeviceInfo.1.versions", null), true));
            awaitResults(switchboard, cases, token, host);
            long idleRss = JsonRpcThroughput.residentKib(host.pid());
            System.out.printf("%d processors, wrk -t1 -c%d, %d s per run, 3 rounds alternating with the bare handler%n",
                    Runtime.getRuntime().availableProcessors(), connections, seconds);
            System.out.printf("host idle: %d MiB resident, %d threads%n", idleRss / 1024, ProcStat.threads(host.pid()));
            List<String[]> rows = new ArrayList<>();
            double validateCpuMillisPer1000 = 0;
            for (Case c : cases) {
                String answer = post(switchboard, c, token);
                Server bare = JsonRpcThroughput.baseline(answer);
                bares.add(bare);
                URI bareUri = URI.create("http://127.0.0.1:" + ((ServerConnector) bare.getConnectors()[0]).getLocalPort() + "/jsonrpc");
                Path script = luaScript(home, c, token);
                wrk(bareUri, script, connections, 3);
                wrk(switchboard, script, connections, 5);
                Run sb = new Run(0, 0, 0);
                Run base = new Run(0, 0, 0);
                String loads = "";
                double cpuBefore = ProcStat.cpuSeconds(host.pid());
                double requests = 0;
                for (int round = 0; round < 3; round++) {
                    loads += ProcStat.load() + " ";
                    base = add(base, wrk(bareUri, script, connections, seconds), 3);
                    Run one = wrk(switchboard, script, connections, seconds);
                    requests += one.rate() * seconds;
                    sb = add(sb, one, 3);
                }
                double cpu = ProcStat.cpuSeconds(host.pid()) - cpuBefore;
                if (c.name().startsWith("SecurityAgent")) {
                    validateCpuMillisPer1000 = cpu * 1000 / requests * 1000;
                }
                Run single = wrk(switchboard, script, 1, seconds);
                Run singleBare = wrk(bareUri, script, 1, seconds);
                rows.add(new String[] {c.name(), String.format(Locale.ROOT, "%,.0f/s", sb.rate()),
                    String.format(Locale.ROOT, "%.2f ms", sb.p50Millis()), String.format(Locale.ROOT, "%.2f ms", sb.p99Millis()),
                    String.format(Locale.ROOT, "%.0f us", single.p50Millis() * 1000),
                    String.format(Locale.ROOT, "%,.0f/s", base.rate()), String.format(Locale.ROOT, "%.2f", sb.rate() / base.rate()),
                    String.format(Locale.ROOT, "%.0f us", singleBare.p50Millis() * 1000), loads.trim()});
            }
            long loadedRss = JsonRpcThroughput.residentKib(host.pid());
            System.out.printf("%n%-40s %10s %8s %8s %8s | %10s %6s %8s | %s%n", "same run (means of 3)", "Switchboard",
                    "p50", "p99", "1 conn", "bare Jetty", "ratio", "1 conn", "load average per round");
            for (String[] row : rows) {
                System.out.printf("%-40s %10s %8s %8s %8s | %10s %6s %8s | %s%n", (Object[]) row);
            }
            System.out.printf("host CPU per 1,000 validate calls: %.0f ms (Thunder on another day: 211 ms)%n",
                    validateCpuMillisPer1000);
            System.out.printf("host after the load: %d MiB resident, %d threads (Thunder on another day: 9.4 MB, 7 threads)%n",
                    loadedRss / 1024, ProcStat.threads(host.pid()));
            System.out.printf("%nThunder R5.3.0, measured with wrk on another day (absolute rates vary by day):%n");
            System.out.printf("%-40s %10s %8s %8s %8s%n", "", "rate", "p50", "p99", "1 conn");
            for (String[] row : THUNDER) {
                System.out.printf("%-40s %10s %8s %8s %8s%n", (Object[]) row);
            }
        } finally {
            for (Server bare : bares) {
                bare.stop();
            }
            host.destroy();
            host.waitFor();
        }
    }

    static String request(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    private static Run add(Run sum, Run run, int of) {
        return new Run(sum.rate() + run.rate() / of, sum.p50Millis() + run.p50Millis() / of, sum.p99Millis() + run.p99Millis() / of);
    }

    /** Waits until every case is answered with a result (the plugins activate after the endpoint). */
    private static void awaitResults(URI uri, List<Case> cases, String token, Process host) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (Case c : cases) {
            while (!post(uri, c, token).contains("\"result\"")) {
                if (System.nanoTime() > deadline || !host.isAlive()) {
                    throw new IllegalStateException(c.name() + " not answered with a result: " + post(uri, c, token));
                }
                Thread.sleep(100);
            }
        }
    }

    private static String post(URI uri, Case c, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(c.body()))
                .header("Content-Type", "application/json");
        if (c.withToken()) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Path luaScript(Path home, Case c, String token) throws IOException {
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
        if (c.withToken()) {
            lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(token).append("\"\n");
        }
        lua.append("wrk.body = [[").append(c.body()).append("]]\n");
        Path script = Files.createTempFile(home, "wrk", ".lua");
        Files.writeString(script, lua);
        return script;
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** Runs wrk and returns its rate and latency percentiles; fails on any non-200 answer or socket error. */
    private static Run wrk(URI uri, Path script, int connections, int seconds) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), uri.toString()).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0 || NON_2XX.matcher(out).find() || out.contains("Socket errors")) {
            throw new IllegalStateException("wrk against " + uri + " failed or had errors:\n" + out);
        }
        Matcher rate = RATE.matcher(out);
        if (!rate.find()) {
            throw new IllegalStateException("no rate in wrk's output:\n" + out);
        }
        return new Run(Double.parseDouble(rate.group(1)), percentile(out, "50"), percentile(out, "99"));
    }

    private static double percentile(String wrkOutput, String percent) {
        Matcher line = Pattern.compile("\\s" + percent + "%\\s+([\\d.]+)(us|ms|s)").matcher(wrkOutput);
        if (!line.find()) {
            throw new IllegalStateException("no " + percent + "% latency in wrk's output:\n" + wrkOutput);
        }
        double value = Double.parseDouble(line.group(1));
        return switch (line.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /** Installs Debian's wrk package when no wrk is on the PATH. */
    private static void ensureWrk() throws IOException, InterruptedException {
        if (new ProcessBuilder("sh", "-c", "command -v wrk").start().waitFor() == 0) {
            return;
        }
        System.out.println("wrk is missing: installing Debian's wrk package (apt-get install wrk)");
        Process apt = new ProcessBuilder("sh", "-c", "apt-get update -q && apt-get install -y -q wrk")
                .inheritIO().start();
        apt.getOutputStream().close();
        if (apt.waitFor() != 0) {
            throw new IllegalStateException("could not install wrk; install it (apt-get install wrk) and run again");
        }
    }

    private WrkThroughput() {
    }
}
