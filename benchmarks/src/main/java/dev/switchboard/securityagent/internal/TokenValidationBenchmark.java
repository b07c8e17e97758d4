package dev.switchboard.securityagent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * In-process token validation on one thread, against a baseline run in the same JMH run: one
 * HMAC-SHA256 over a token's signing input, the least any signature check costs. Every measured
 * call gets a fresh copy of the token text, as the transport hands over a new string per request.
 * (In this package because the SecurityAgent's classes are not exported.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class TokenValidationBenchmark {

    private TokenService cached;
    /** Cache of one entry, fed two tokens in turn: every validation verifies the signature. */
    private TokenService uncached;
    private char[][] tokens;
    private int next;
    private Mac hmac;
    private byte[] signingInput;

    @Setup
    public void setUp() throws IOException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("token-benchmark");
        Clock clock = Clock.systemUTC();
        TokenKeys keys = new TokenKeys(dir.resolve("keys.json"), Duration.ofDays(1), clock, new SecureRandom());
        RevocationList revocations = new RevocationList(dir.resolve("revoked.json"), clock);
        keys.load();
        revocations.load();
        TokenService.Settings defaults = TokenService.Settings.defaults();
        cached = new TokenService(keys, revocations, defaults, clock);
        uncached = new TokenService(keys, revocations, new TokenService.Settings(defaults.lifetime(),
                defaults.acceptTokensWithoutExpiry(), defaults.maxTokenBytes(), defaults.skew(), 1), clock);
        tokens = new char[][] {
            cached.issue("{\"url\":\"http://localhost:8080/app\",\"user\":\"one\"}").toCharArray(),
            cached.issue("{\"url\":\"http://localhost:8080/app\",\"user\":\"two\"}").toCharArray() };
        String token = new String(tokens[0]);
        signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    }

    private String nextToken() {
        next ^= 1;
        return new String(tokens[next]);
    }

    @Benchmark
    public byte[] baselineHmacSha256() {
        return hmac.doFinal(signingInput);
    }

    @Benchmark
    public boolean validateCached() {
        return cached.validate(nextToken()).isValid();
    }

    @Benchmark
    public boolean validateUncached() {
        return uncached.validate(nextToken()).isValid();
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(TokenValidationBenchmark.class.getSimpleName()).build()).run();
        Map<String, Double> rates = new TreeMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            rates.put(name.substring(name.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
        }
        double baseline = rates.get("baselineHmacSha256");
        System.out.println();
        rates.forEach((name, rate) -> System.out.printf("%-20s %,14.0f ops/s   ratio to one HMAC-SHA256: %.2f%n",
                name, rate, rate / baseline));
    }
}
