package dev.switchboard.adapter.openvpn.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The configuration managed mode runs OpenVPN with: clients authenticate with their order's client key
 * and password, which the adapter checks over the management interface; no client certificates.
 */
final class ServerConfig {

    /** The data channel ciphers clients may negotiate (OpenVPN 2.6's defaults). */
    static final String CIPHERS = "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305";

    private ServerConfig() {
    }

    static String render(AgentSettings settings, Path dir, Path socket) {
        StringBuilder config = new StringBuilder()
                .append("# written by the Switchboard OpenVPN adapter ").append(settings.callsign())
                .append("; rewritten at each start\n")
                .append("mode server\ntls-server\ndev tun\ntopology subnet\n")
                .append("server ").append(subnet(settings.network())).append('\n')
                .append("proto ").append(settings.proto() == AgentSettings.Protocol.UDP ? "udp" : "tcp-server").append('\n')
                .append("port ").append(settings.port()).append('\n');
        if (!settings.listenAddress().isEmpty()) {
            config.append("local ").append(settings.listenAddress()).append('\n');
        }
        config.append("ca ").append(dir.resolve(Pki.CA)).append('\n')
                .append("cert ").append(dir.resolve(Pki.CERT)).append('\n')
                .append("key ").append(dir.resolve(Pki.KEY)).append('\n')
                .append("dh none\n")
                .append("tls-crypt ").append(dir.resolve(Pki.TLS_CRYPT)).append('\n')
                .append("data-ciphers ").append(CIPHERS).append('\n')
                .append("verify-client-cert none\nusername-as-common-name\n")
                .append("management ").append(socket).append(" unix\n")
                .append("management-client-auth\n")
                .append("keepalive 10 60\n")
                .append("verb 3\n");
        return config.toString();
    }

    /**
     * {@code 10.8.0.0/24} as OpenVPN's {@code server} option wants it: {@code 10.8.0.0 255.255.255.0}.
     *
     * @throws IllegalArgumentException when it is not an IPv4 network of /8 to /29
     */
    static String subnet(String network) {
        int slash = network.indexOf('/');
        try {
            if (slash > 0) {
                InetAddress address = InetAddress.getByName(network.substring(0, slash).trim());
                int bits = Integer.parseInt(network.substring(slash + 1).trim());
                if (address instanceof Inet4Address && bits >= 8 && bits <= 29
                        && network.substring(0, slash).trim().matches("[0-9.]+")) {
                    long mask = (0xffffffffL << (32 - bits)) & 0xffffffffL;
                    return address.getHostAddress() + " " + (mask >> 24) + "." + ((mask >> 16) & 255) + "."
                            + ((mask >> 8) & 255) + "." + (mask & 255);
                }
            }
        } catch (UnknownHostException | NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("network is not an IPv4 network from /8 to /29: " + network);
    }
}
