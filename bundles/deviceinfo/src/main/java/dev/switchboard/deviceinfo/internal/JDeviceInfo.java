package dev.switchboard.deviceinfo.internal;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

@JsonRpcInterface(name = "JDeviceInfo", major = 1)
public interface JDeviceInfo {

    /**
     * Thunder's {@code systeminfo}.
     *
     * @param version      the Switchboard version
     * @param uptime       seconds since the host (or, where that is unknown, the JVM) started
     * @param totalram     physical memory in bytes
     * @param freeram      free physical memory in bytes
     * @param totalswap    swap space in bytes
     * @param freeswap     free swap space in bytes
     * @param devicename   the host name
     * @param cpuload      the recent CPU load of the whole system, percent
     * @param cpuloadavg   the system load averages
     * @param time         the current time, RFC 1123
     */
    record SystemInfo(String version, long uptime, long totalram, long freeram, long totalswap,
            long freeswap, String devicename, int cpuload, LoadAverage cpuloadavg, String time) {
    }

    /** Load averages over 1, 5 and 15 minutes; the last two are {@code null} when unknown. */
    record LoadAverage(Double avg1min, Double avg5min, Double avg15min) {
    }

    /** A network interface that is up: its MAC in lower-case colon hex ({@code ""} if none) and IPs. */
    record Address(String name, String mac, List<String> ip) {
    }

    /**
     * Thunder's {@code deviceinfo}; members that are not known are left out.
     *
     * @param friendlyname the host name
     * @param make         the maker its firmware reports
     * @param modelname    the model its firmware reports
     * @param platformname the operating system
     * @param serialnumber the serial number its firmware reports, when the host may read it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Identity(String friendlyname, String make, String modelname, String platformname, String serialnumber) {
    }

    /**
     * Thunder's {@code socketinfo} for the JSON-RPC transport.
     *
     * @param total WebSocket connections accepted since the transport started
     * @param open  WebSocket connections open now
     * @param runs  JSON-RPC requests answered (Thunder counts its socket monitor's rounds)
     */
    record SocketInfo(long total, long open, long runs) {
    }

    /** Thunder's {@code firmwareversion}: the image is the Switchboard distribution, {@code switchboard-<version>}. */
    record FirmwareVersion(String imagename) {
    }

    @JsonRpcMethod(property = true)
    SystemInfo systeminfo();

    @JsonRpcMethod(property = true)
    Identity deviceinfo();

    /** -31002 (not active) while no JSON-RPC transport runs. */
    @JsonRpcMethod(property = true)
    SocketInfo socketinfo();

    @JsonRpcMethod(property = true)
    FirmwareVersion firmwareversion();

    @JsonRpcMethod(property = true)
    List<Address> addresses();
}
