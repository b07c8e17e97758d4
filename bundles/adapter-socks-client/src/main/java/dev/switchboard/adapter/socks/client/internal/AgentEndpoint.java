package dev.switchboard.adapter.socks.client.internal;

import java.util.Map;

/**
 * Where the agent's proxy listens, from an access message: the {@code host} and {@code port} the
 * agent adapter pushed with {@code setProductConfig}, else the product's {@code serviceEndpointAddress}
 * ({@code host:port}, an IPv6 host in brackets).
 */
record AgentEndpoint(String host, int port) {

    static AgentEndpoint of(Map<String, Object> access) {
        if (access.get("additionalParams") instanceof Map<?, ?> params && params.get("host") instanceof String host
                && params.get("port") instanceof String port) {
            return new AgentEndpoint(host, port(port));
        }
        if (access.get("serviceEndpointAddress") instanceof String endpoint) {
            int colon = endpoint.lastIndexOf(':');
            if (colon > 0) {
                String host = endpoint.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                return new AgentEndpoint(host, port(endpoint.substring(colon + 1)));
            }
        }
        throw new IllegalArgumentException("the access message names no endpoint (additionalParams host and port,"
                + " or serviceEndpointAddress host:port)");
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("the access message's port is not a port: " + text);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
