package dev.switchboard.controller.internal;

import java.util.List;
import java.util.Map;

import dev.switchboard.api.plugin.Index;
import dev.switchboard.api.plugin.InterfaceVersion;
import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

/** Thunder's Controller interface, the part a plugin host needs. */
@JsonRpcInterface(name = "JController", major = 1)
public interface JController {

    record Callsign(String callsign) {
    }

    /**
     * @param state  lower case, as Thunder names them: activated, deactivated, unavailable, precondition
     * @param reason why it is in that state: Requested, Automatic, Startup, InitializationFailed,
     *               DuplicateCallsign, UnknownClassname...
     * @param detail what went wrong or what it waits for, in words; null when there is nothing to say
     */
    record PluginStatus(String callsign, String locator, String classname, String state, String reason,
            String detail, String startmode, List<InterfaceVersion> version, Map<String, Object> configuration) {
    }

    /**
     * The requests the transport answered for one method of one callsign.
     *
     * @param errorcodes errors by JSON-RPC code
     * @param latency    time to answer, in milliseconds
     */
    record MethodMetrics(String callsign, String method, long requests, long errors, Map<String, Long> errorcodes,
            Latency latency) {
    }

    /**
     * @param buckets requests per bucket, by the bucket's upper bound in milliseconds ("+Inf" for the rest);
     *                not cumulative, empty buckets left out
     */
    record Latency(long count, double summs, double averagems, double maxms, Map<String, Long> buckets) {
    }

    /** Every plugin, or the one named by the index. */
    @JsonRpcMethod(property = true)
    List<PluginStatus> status(@Index String callsign);

    @JsonRpcMethod
    void activate(Callsign params);

    @JsonRpcMethod
    void deactivate(Callsign params);

    /**
     * What the transport answered per callsign and method, or for the callsign named by the index.
     * Calls to names that are no bound plugin or method are counted under callsign or method "unknown".
     */
    @JsonRpcMethod(property = true)
    List<MethodMetrics> metrics(@Index String callsign);

    /** The plugin's own configuration, without callsign, startmode and framework properties. */
    @JsonRpcMethod(value = "configuration", property = true)
    Map<String, Object> configuration(@Index String callsign);

    /** Replaces the plugin's own configuration; the plugin applies it without a restart of the host. */
    @JsonRpcMethod(value = "configuration", property = true)
    void configuration(@Index String callsign, Map<String, Object> params);
}
