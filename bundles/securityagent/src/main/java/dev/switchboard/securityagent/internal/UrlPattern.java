package dev.switchboard.securityagent.internal;

import java.util.Locale;

/**
 * An ACL {@code assign} URL: {@code *} alone matches every token, else
 * {@code scheme://host[:port]} where the scheme or port may be {@code *} and the host may hold
 * {@code *} (e.g. {@code *://localhost:*}, {@code https://*.example.com:443}). Without a port the
 * scheme's default port is meant. A path in the pattern is ignored: tokens are matched by origin.
 */
final class UrlPattern {

    private final String text;
    private final boolean any;
    private final Glob scheme;
    private final Glob host;
    /** null: the token scheme's default port; -2: any port. */
    private final Integer port;

    private UrlPattern(String text, boolean any, Glob scheme, Glob host, Integer port) {
        this.text = text;
        this.any = any;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
    }

    /** @throws IllegalArgumentException saying why the pattern is not one */
    static UrlPattern parse(String text) {
        if (text.equals("*")) {
            return new UrlPattern(text, true, null, null, null);
        }
        int separator = text.indexOf("://");
        if (separator <= 0) {
            throw new IllegalArgumentException("expected \"*\" or scheme://host[:port], got \"" + text + "\"");
        }
        String schemePart = text.substring(0, separator).toLowerCase(Locale.ROOT);
        String rest = text.substring(separator + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String hostPart = authority;
        Integer port = null;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']', colon) < 0) {
            hostPart = authority.substring(0, colon);
            String portPart = authority.substring(colon + 1);
            if (portPart.equals("*")) {
                port = -2;
            } else {
                try {
                    port = Integer.parseInt(portPart);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("invalid port \"" + portPart + "\" in \"" + text + "\"");
                }
            }
        }
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("user info is not allowed in \"" + text + "\"");
        }
        if (hostPart.isEmpty() || !schemePart.matches("[a-z0-9+.*-]+")) {
            throw new IllegalArgumentException("expected \"*\" or scheme://host[:port], got \"" + text + "\"");
        }
        return new UrlPattern(text, false, Glob.of(schemePart), Glob.of(hostPart.toLowerCase(Locale.ROOT)), port);
    }

    boolean matches(Origin origin) {
        if (any) {
            return true;
        }
        if (origin == null || !scheme.matches(origin.scheme()) || !host.matches(origin.host())) {
            return false;
        }
        if (port == null) {
            return origin.port() == Origin.defaultPort(origin.scheme());
        }
        return port == -2 || port == origin.port();
    }

    @Override
    public String toString() {
        return text;
    }
}
