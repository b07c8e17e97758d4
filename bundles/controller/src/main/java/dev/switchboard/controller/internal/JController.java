package dev.switchboard.controller.internal;

import java.util.List;
import java.util.Map;

import dev.switchboard.api.plugin.Index;
import dev.switchboard.api.plugin.InterfaceVersion;
import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

/**
 * Thunder's Controller interface (R5's ISystem, IDiscovery, IConfiguration, ILifeTime, ISubsystems, IEvents
 * and IMetadata under one name), without what only a native host has (COM-RPC proxies, call stacks,
 * hibernation of an out-of-process plugin, a persistent-path folder per plugin).
 */
@JsonRpcInterface(name = "JController", major = 1)
public interface JController {

    record Callsign(String callsign) {
    }

    record CloneParams(String callsign, String newcallsign) {
    }

    record HibernateParams(String callsign, Long timeout) {
    }

    /** @param ttl SSDP's time to live, 1 to 255 */
    record DiscoveryParams(Integer ttl) {
    }

    record DiscoveryResult(String locator, long latency, String model, boolean secure) {
    }

    /** @param subsystem one of Thunder's subsystem names, such as {@code Security} */
    record Subsystem(String subsystem, boolean active) {
    }

    /** The host's version; Thunder's {@code hash} of the sources is left out, as a build of Switchboard has none. */
    record FrameworkVersion(int major, int minor, int patch) {
    }

    record BuildInfo(String systemtype, String buildtype, List<String> extensions, boolean messaging,
            boolean exceptioncatching, boolean deadlockdetection, boolean wcharsupport, int instanceidbits,
            int threadpoolcount, long comrpctimeout) {
    }

    /**
     * @param state  {@code WebSocket} for a WebSocket connection, {@code WebServer} for an HTTP request in progress
     * @param name   the callsign the connection is bound to ({@code /jsonrpc/<Callsign>}), or null
     */
    record Link(String remote, String state, long id, boolean activity, String name) {
    }

    /**
     * @param locator   the bundle providing the plugin kind
     * @param classname Thunder's class name of the kind ({@code SecurityAgent}, {@code DeviceInfo}...)
     * @param state     as Thunder's R5 spells it: Activated, Deactivated, Unavailable, Precondition...
     * @param reason    why it is in that state, as Thunder's R5 spells it: Requested, Automatic, Startup,
     *                  Shutdown, InitializationFailed, InstantiationFailed...
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

    /** R5's name for {@code status}. */
    @JsonRpcMethod(value = "services", property = true)
    List<PluginStatus> services(@Index String callsign);

    @JsonRpcMethod
    void activate(Callsign params);

    @JsonRpcMethod
    void deactivate(Callsign params);

    /** Every plugin runs inside the host: -31047, as Thunder answers for an in-process plugin. */
    @JsonRpcMethod
    void hibernate(HibernateParams params);

    /** For a plugin that is a {@link dev.switchboard.api.plugin.StateControl}; others: -31044. */
    @JsonRpcMethod
    void suspend(Callsign params);

    @JsonRpcMethod
    void resume(Callsign params);

    /** A new instance of the same kind with the same configuration; answers the new callsign. */
    @JsonRpcMethod("clone")
    String cloneOf(CloneParams params);

    /** Removes a clone's configuration; an instance that is not a clone is refused. */
    @JsonRpcMethod
    void destroy(Callsign params);

    /** Writes every instance's configuration to the configuration folder, so that it survives a restart. */
    @JsonRpcMethod
    void persist();

    @JsonRpcMethod
    void storeconfig();

    /** Restarts the host, when the Controller's configuration allows it (-32604 otherwise). */
    @JsonRpcMethod
    void reboot();

    /** Thunder's older name for {@code reboot}. */
    @JsonRpcMethod
    void harakiri();

    /** SSDP discovery is not part of Switchboard: the call is checked and answered, and no result follows. */
    @JsonRpcMethod
    void startdiscovery(DiscoveryParams params);

    @JsonRpcMethod(property = true)
    List<DiscoveryResult> discoveryresults();

    /** The host process's environment variable named by the index; -31022 when it is not set. */
    @JsonRpcMethod(property = true)
    String environment(@Index String variable);

    @JsonRpcMethod(property = true)
    List<Subsystem> subsystems();

    /** The JSON-RPC connections of the host. */
    @JsonRpcMethod(property = true)
    List<Link> links();

    @JsonRpcMethod(property = true)
    FrameworkVersion framework();

    /** R5's older name for {@code framework}. */
    @JsonRpcMethod(value = "version", property = true)
    FrameworkVersion frameworkVersion();

    @JsonRpcMethod(property = true)
    BuildInfo buildinfo();

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
