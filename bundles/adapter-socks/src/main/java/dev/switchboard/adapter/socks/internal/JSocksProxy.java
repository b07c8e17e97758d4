package dev.switchboard.adapter.socks.internal;

import java.util.List;

import dev.switchboard.socks.relay.UsageMeter.ClientUsage;
import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

@JsonRpcInterface(name = "JSocksProxy", major = 1)
public interface JSocksProxy {

    /**
     * @param listening   the address the proxy listens on
     * @param advertised  {@code host:port} pushed to the product configuration for access messages
     * @param product     the product sold
     * @param connections open client connections (in handshake or relaying)
     * @param bytesUp     bytes relayed client to target since the proxy started
     * @param bytesDown   bytes relayed target to client since the proxy started
     * @param clients     every client with connections, and its open session's totals
     */
    record Status(String listening, String advertised, String product, int connections, long bytesUp,
            long bytesDown, List<ClientUsage> clients) {
    }

    @JsonRpcMethod
    Status status();
}
