package dev.switchboard.securityagent.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code scheme://host:port} a URL is cut to before the ACL is applied; scheme and host in
 * lower case, the port filled in from the scheme when the URL has none.
 *
 * @param port the port, or -1 when neither the URL nor its scheme names one
 */
record Origin(String scheme, String host, int port) {

    static Optional<Origin> of(String url) {
        if (url == null || url.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || host.isEmpty()) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
            return Optional.of(new Origin(scheme, host.toLowerCase(Locale.ROOT), port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return scheme + "://" + host + (port >= 0 ? ":" + port : "");
    }
}
