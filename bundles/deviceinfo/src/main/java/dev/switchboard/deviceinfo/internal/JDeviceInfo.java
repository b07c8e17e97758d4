package dev.switchboard.deviceinfo.internal;

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

    @JsonRpcMethod(property = true)
    SystemInfo systeminfo();

    @JsonRpcMethod(property = true)
    List<Address> addresses();
}
