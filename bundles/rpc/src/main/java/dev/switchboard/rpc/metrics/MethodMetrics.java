package dev.switchboard.rpc.metrics;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calls of one method of one callsign. Counters are read one after the other while calls go
 * on, so a snapshot may be off by the calls in progress.
 *
 * @param callsign           the plugin, or {@link RpcMetrics#UNKNOWN}
 * @param method             the method, or {@link RpcMetrics#UNKNOWN}
 * @param requests           requests answered (notifications included)
 * @param errors             requests answered with an error
 * @param errorCodes         errors by JSON-RPC error code, ascending
 * @param latencySumMicros   the time of all requests together, in microseconds
 * @param latencyMaxMicros   the longest request, in microseconds
 * @param latencyBuckets     requests per latency bucket (not cumulative): one count per bound of
 *                           {@link RpcMetrics#latencyBoundsMicros()} and a last for the rest
 */
public record MethodMetrics(String callsign, String method, long requests, long errors, Map<Integer, Long> errorCodes,
        long latencySumMicros, long latencyMaxMicros, List<Long> latencyBuckets) {

    public MethodMetrics {
        errorCodes = Collections.unmodifiableMap(new TreeMap<>(errorCodes));
        latencyBuckets = List.copyOf(latencyBuckets);
    }
}
