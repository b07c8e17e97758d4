package dev.switchboard.rpc.metrics;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the JSON-RPC transport has answered since it started, per callsign and method. The
 * transport registers one such service.
 *
 * <p>Only callsigns of plugins that were bound when the call arrived and methods they declare (or
 * the built-ins) get their own entry; every other call is counted under {@link #UNKNOWN}, as
 * callsign (no such plugin, an invalid request) or as method (no such method), so that a client
 * sending arbitrary names cannot make the metrics grow.
 */
@ProviderType
public interface RpcMetrics {

    /** The callsign or method name under which calls to unknown names are counted. */
    String UNKNOWN = "unknown";

    /**
     * The upper bounds (inclusive) of the latency histogram in microseconds, ascending. The
     * histogram of a {@link MethodMetrics} has one more bucket, for the calls above the last bound.
     */
    List<Long> latencyBoundsMicros();

    /** Every callsign and method called so far, ordered by callsign then method. */
    List<MethodMetrics> snapshot();

    /** The entries of one callsign, in method order; empty when it was never called. */
    default List<MethodMetrics> snapshot(String callsign) {
        return snapshot().stream().filter(m -> m.callsign().equals(callsign)).toList();
    }
}
