package dev.switchboard.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting for a started copy of the distribution (see {@link JsonRpcThroughput#copy}) to be ready. */
final class Host {

    /** A token from the host's administrator command, as soon as it issues one (within 60 s). */
    static String awaitToken(Path home, Process host) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && host.isAlive()) {
            String token = JsonRpcThroughput.issueToken(home);
            if (token != null) {
                return token;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no token from the host within 60 s; see " + home.resolve("log"));
    }

    /** Repeats {@code call} (a Sessions JSON-RPC call, e.g. {@code orders}) until it succeeds (within 60 s). */
    static void awaitSessions(Callable<?> call, Process host, Path home) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline && host.isAlive()) {
            try {
                call.call();
                return;
            } catch (Exception notYet) {
                last = notYet;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Sessions did not answer within 60 s (" + last + "); see "
                + home.resolve("log/switchboard.log"));
    }

    private Host() {
    }
}
