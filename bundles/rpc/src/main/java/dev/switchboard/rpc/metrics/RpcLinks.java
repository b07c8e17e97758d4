package dev.switchboard.rpc.metrics;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The transport's WebSocket connections and call settings, as the Controller's {@code links} and
 * {@code buildinfo} and DeviceInfo's {@code socketinfo} report them. The transport registers one such service.
 */
@ProviderType
public interface RpcLinks {

    /**
     * One open WebSocket connection.
     *
     * @param id       unique among the connections since the transport started
     * @param remote   the client's address and port
     * @param activity whether a message arrived from it in the last minute
     * @param callsign the callsign it is bound to ({@code /jsonrpc/<Callsign>}), or null
     */
    record Link(long id, String remote, boolean activity, String callsign) {
    }

    List<Link> links();

    /** WebSocket connections accepted since the transport started, the open ones included. */
    long accepted();

    /** The threads plugin calls run on. */
    int callThreads();

    /** How long a plugin call may take before it is answered -32000. */
    long callTimeoutMillis();
}
