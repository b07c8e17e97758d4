package dev.switchboard.securityagent.cli;

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

    /** @param waiting told once the client found nothing listening and waits */
    public static String requestWaiting(Path socket, String payload, Duration wait, Runnable waiting)
            throws IOException {
        return TokenClient.request(socket, payload, wait, waiting);
    }
}
