package dev.switchboard.adapter.openvpn.client.internal;

import java.util.Map;

/**
 * What the client needs from an order's access message: the agent's OpenVPN server (host, port, protocol,
 * ciphers) and its keys (CA certificate, tls-crypt key), from the product configuration the agent adapter
 * pushed ({@code additionalParams}).
 */
record ClientProfile(String host, int port, String proto, String cipher, String ca, String tlsCrypt) {

    /**
     * @throws IllegalArgumentException naming the first field missing or wrong
     */
    static ClientProfile of(Map<String, Object> access) {
        if (!(access.get("additionalParams") instanceof Map<?, ?> params)) {
            throw new IllegalArgumentException("the access message has no additionalParams");
        }
        String proto = field(params, "proto");
        if (!proto.equals("udp") && !proto.equals("tcp")) {
            throw new IllegalArgumentException("the access message's additionalParams.proto is neither udp nor tcp: "
                    + proto);
        }
        String ca = field(params, "ca");
        if (!ca.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("the access message's additionalParams.ca is not a PEM certificate");
        }
        String tlsCrypt = field(params, "tlsCrypt");
        if (!tlsCrypt.contains("-----BEGIN OpenVPN Static key V1-----")) {
            throw new IllegalArgumentException("the access message's additionalParams.tlsCrypt is not an OpenVPN key");
        }
        String host = field(params, "host");
        if (!host.matches("[A-Za-z0-9.:_-]+")) {
            throw new IllegalArgumentException("the access message's additionalParams.host is not a host name or"
                    + " address");
        }
        String cipher = params.get("cipher") instanceof String c && c.matches("[A-Za-z0-9:_-]+") ? c : "";
        return new ClientProfile(host, port(field(params, "port")), proto, cipher, ca, tlsCrypt);
    }

    private static String field(Map<?, ?> params, String name) {
        if (params.get(name) instanceof String value && !value.isBlank()) {
            return value.trim();
        }
        throw new IllegalArgumentException("the access message has no additionalParams." + name);
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("the access message's additionalParams.port is not a port: " + text);
    }

    /** The client configuration; the credentials are in {@code authFile}, the keys inline. */
    String render(String authFile, String socket) {
        return "# written by the Switchboard OpenVPN client adapter from the order's access message\n"
                + "client\ndev tun\nnobind\n"
                + "proto " + (proto.equals("udp") ? "udp" : "tcp-client") + "\n"
                + "remote " + host + " " + port + "\n"
                + "remote-cert-tls server\n"
                + (cipher.isEmpty() ? "" : "data-ciphers " + cipher + "\n")
                + "auth-user-pass " + authFile + "\n"
                + "management " + socket + " unix\n"
                + (proto.equals("udp") ? "explicit-exit-notify 1\n" : "")
                + "verb 3\n"
                + "<ca>\n" + ca.strip() + "\n</ca>\n"
                + "<tls-crypt>\n" + tlsCrypt.strip() + "\n</tls-crypt>\n";
    }

    String agent() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/" + proto;
    }
}
