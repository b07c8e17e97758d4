package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.config.LogThrottle;

/**
 * Which browser pages may read the host's answers (the transport's {@code corsOrigins}): {@code *}
 * as Thunder, which is safe because a token travels in an {@code Authorization} header or on the
 * WebSocket URL, never in a cookie a browser would add by itself; or a list of origins
 * ({@code https://console.example:8443}). A preflight is answered only for a method the path serves
 * and headers a client needs.
 */
record Cors(Set<String> origins) {

    static final Cors ANY = new Cors(Set.of("*"));
    /** The request headers a page may send: its token, its body's type and encoding, and those browsers always may. */
    static final List<String> ALLOWED_HEADERS = List.of("Authorization", "Content-Type", "Content-Encoding", "Accept",
            "Accept-Language", "Content-Language");
    /** As Thunder: a browser asks again after an hour. */
    static final String MAX_AGE_SECONDS = "3600";
    private static final Logger LOG = LoggerFactory.getLogger(Cors.class);
    /** One line per client address every 10 s, 50 lines every 10 s in all. */
    private static final LogThrottle REFUSAL_LINES = new LogThrottle(Duration.ofSeconds(10), 4096, 50);

    /**
     * @param value {@code *}, or origins ({@code scheme://host[:port]}) separated by commas or spaces
     * @throws IllegalArgumentException naming the first entry that is no origin
     */
    static Cors parse(String value) {
        Set<String> origins = new TreeSet<>();
        for (String entry : value.trim().split("[,\\s]+")) {
            if (!entry.equals("*") && !entry.matches("(?i)[a-z][a-z0-9+.-]*://[^/\\s?#*]+")) {
                throw new IllegalArgumentException("holds " + LogText.quote(entry) + ", which is neither * nor an origin such as "
                        + "https://console.example:8443");
            }
            origins.add(entry.toLowerCase(Locale.ROOT));
        }
        return origins.contains("*") ? ANY : new Cors(Set.copyOf(origins));
    }

    boolean allows(String origin) {
        return origins.contains("*") || origin != null && origins.contains(origin.toLowerCase(Locale.ROOT));
    }

    /** Lets the request's page read the answer, when its origin may; a page of another origin gets no header. */
    void allowReading(HttpServletRequest request, HttpServletResponse response) {
        if (origins.contains("*")) {
            response.setHeader("Access-Control-Allow-Origin", "*");
            return;
        }
        response.addHeader("Vary", "Origin");
        String origin = request.getHeader("Origin");
        if (allows(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
        }
    }

    /**
     * Why a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is refused, or null
     * when it may go ahead.
     *
     * @param methods the methods the path serves
     */
    String refusal(HttpServletRequest request, Set<String> methods) {
        String origin = request.getHeader("Origin");
        if (!allows(origin)) {
            return "origin " + LogText.quote(origin) + " is not in corsOrigins";
        }
        String method = request.getHeader("Access-Control-Request-Method").trim();
        if (!methods.contains(method)) {
            return "method " + LogText.quote(method) + " is not served here (" + String.join(", ", methods) + ")";
        }
        String headers = request.getHeader("Access-Control-Request-Headers");
        if (headers != null) {
            for (String header : headers.split(",")) {
                String name = header.trim();
                if (!name.isEmpty() && ALLOWED_HEADERS.stream().noneMatch(name::equalsIgnoreCase)) {
                    return "header " + LogText.quote(name) + " is not allowed (" + String.join(", ", ALLOWED_HEADERS) + ")";
                }
            }
        }
        return null;
    }

    /**
     * Answers {@code OPTIONS}: a preflight allowed (204 with what may be sent) or refused (403, one
     * log line), or else the methods the path serves (204).
     */
    void options(HttpServletRequest request, HttpServletResponse response, Set<String> methods) throws IOException {
        response.setHeader("Allow", String.join(", ", methods));
        if (request.getHeader("Access-Control-Request-Method") == null) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        String refusal = refusal(request, methods);
        if (refusal == null) {
            allowPreflight(response, methods);
            return;
        }
        String heldBack = REFUSAL_LINES.admit(request.getRemoteAddr());
        if (heldBack != null) {
            LOG.info("Preflight from {} for {} refused: {}{}", request.getRemoteAddr(),
                    LogText.quote(request.getRequestURI()), refusal, heldBack);
        }
        HttpErrorBody.write(request, response, HttpServletResponse.SC_FORBIDDEN, "preflight refused: " + refusal);
    }

    private void allowPreflight(HttpServletResponse response, Set<String> methods) {
        response.setHeader("Access-Control-Allow-Methods", String.join(", ", methods));
        response.setHeader("Access-Control-Allow-Headers", String.join(", ", ALLOWED_HEADERS));
        response.setHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    @Override
    public String toString() {
        return String.join(",", origins);
    }

    /** The methods of a path in the order they are announced. */
    static Set<String> methods(String... methods) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(methods)));
    }
}
