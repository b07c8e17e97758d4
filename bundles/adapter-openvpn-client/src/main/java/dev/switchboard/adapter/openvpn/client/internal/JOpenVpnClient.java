package dev.switchboard.adapter.openvpn.client.internal;

import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

@JsonRpcInterface(name = "JOpenVpnClient", major = 1)
public interface JOpenVpnClient {

    /**
     * @param state      OpenVPN's state ({@code CONNECTING}, {@code CONNECTED}, {@code RECONNECTING}, ...), or
     *                   {@code EXITED} when it stopped of itself
     * @param agent      the agent's server, {@code host:port/proto}, from the access message
     * @param clientKey  the order whose usage is reported
     * @param vpnAddress this end's address inside the tunnel while connected
     * @param bytesUp    bytes sent to the server in the current session
     * @param bytesDown  bytes received from it in the current session
     * @param reason     why OpenVPN exited (its last log line), else empty
     */
    record Status(String state, String agent, String clientKey, String vpnAddress, long bytesUp, long bytesDown,
            String reason) {
    }

    @JsonRpcMethod
    Status status();
}
