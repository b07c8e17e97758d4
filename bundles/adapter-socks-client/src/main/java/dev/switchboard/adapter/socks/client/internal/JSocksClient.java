package dev.switchboard.adapter.socks.client.internal;

import java.util.List;

import dev.switchboard.socks.relay.UsageMeter.ClientUsage;
import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

@JsonRpcInterface(name = "JSocksClient", major = 1)
public interface JSocksClient {

    /**
     * @param listening   the local SOCKS5 listener
     * @param agent       the agent's proxy CONNECTs go through now (a re-imported access message moves it)
     * @param clientKey   the order whose usage is reported
     * @param connections open local connections
     * @param bytesUp     bytes sent towards targets since the adapter started
     * @param bytesDown   bytes received from targets since the adapter started
     * @param sessions    the order's open session, if any, with its totals
     */
    record Status(String listening, String agent, String clientKey, int connections, long bytesUp, long bytesDown,
            List<ClientUsage> sessions) {
    }

    @JsonRpcMethod
    Status status();
}
