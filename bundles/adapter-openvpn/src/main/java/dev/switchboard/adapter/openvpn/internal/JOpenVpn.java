package dev.switchboard.adapter.openvpn.internal;

import java.util.List;

import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

@JsonRpcInterface(name = "JOpenVpn", major = 1)
public interface JOpenVpn {

    /**
     * One connected client.
     *
     * @param clientKey   the order's client key it authenticated with
     * @param vpnAddress  its address inside the tunnel
     * @param bytesUp     bytes received from it, as last reported by OpenVPN
     * @param bytesDown   bytes sent to it
     * @param since       when it connected, seconds since the epoch
     */
    record Client(String clientKey, String realAddress, String vpnAddress, long bytesUp, long bytesDown, long since) {
    }

    /**
     * @param server     {@code up} while the adapter is attached to OpenVPN's management interface, else {@code down}
     * @param mode       {@code managed} (the adapter runs OpenVPN) or {@code attach}
     * @param advertised {@code host:port/proto} pushed to the product configuration for access messages
     * @param product    the product sold
     * @param clients    the connected clients
     */
    record Status(String server, String mode, String advertised, String product, List<Client> clients) {
    }

    @JsonRpcMethod
    Status status();
}
