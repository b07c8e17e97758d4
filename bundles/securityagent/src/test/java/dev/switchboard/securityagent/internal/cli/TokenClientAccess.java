package dev.switchboard.securityagent.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Lets tests in other packages use the client's request. */
public final class TokenClientAccess {

    private TokenClientAccess() {
    }

    public static String request(Path socket, String payload) throws IOException {
        return TokenClient.request(socket, payload, Duration.ZERO);
    }

    public static String requestWaiting(Path socket, String payload, Duration wait) throws IOException {
        return TokenClient.request(socket, payload, wait);
    }
}
