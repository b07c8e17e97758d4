package dev.switchboard.deviceinfo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.management.OperatingSystemMXBean;

import dev.switchboard.deviceinfo.internal.JDeviceInfo.LoadAverage;
import dev.switchboard.deviceinfo.internal.JDeviceInfo.SystemInfo;

class SystemInfoReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-05T14:05:38Z");
    private static final RuntimeMXBean RUNTIME = ManagementFactory.getRuntimeMXBean();
    private static final Map<Class<?>, Object> ZEROS = Map.of(long.class, 0L, double.class, 0.0, int.class, 0);

    @TempDir
    Path proc;

    @Test
    void readsMemoryFromTheRealMxBean() {
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

        SystemInfo info = reader(os).read();

        assertThat(info.totalram()).isPositive();
        assertThat(info.freeram()).isBetween(0L, info.totalram());
        assertThat(info.freeswap()).isBetween(0L, info.totalswap());
        assertThat(info.cpuload()).isBetween(0, 100);
        assertThat(info.version()).isEqualTo("1.2.3");
    }

    @Test
    void readsTheHostsProcTree() {
        assumeTrue(Files.isReadable(Path.of("/proc/uptime")) && Files.isReadable(Path.of("/proc/loadavg")));
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

        SystemInfo info = new SystemInfoReader("1.2.3", os, RUNTIME, Clock.systemUTC(), Path.of("/proc")).read();

        assertThat(info.uptime()).isGreaterThanOrEqualTo(RUNTIME.getUptime() / 1000);
        assertThat(info.cpuloadavg().avg15min()).isNotNull().isNotNegative();
        assertThat(info.devicename()).isNotBlank();
    }

    @Test
    void readsUptimeLoadAndHostNameFromProc() throws IOException {
        Files.writeString(proc.resolve("uptime"), "350735.97 234388.90\n");
        Files.writeString(proc.resolve("loadavg"), "0.52 0.58 1.25 1/467 12345\n");
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/hostname"), "settop-box\n");

        SystemInfo info = reader(stub(Map.of("getSystemLoadAverage", 9.0))).read();

        assertThat(info.uptime()).isEqualTo(350735L);
        assertThat(info.cpuloadavg()).isEqualTo(new LoadAverage(0.52, 0.58, 1.25));
        assertThat(info.devicename()).isEqualTo("settop-box");
    }

    @Test
    void fallsBackToTheJvmWhenProcIsMissing() {
        long before = RUNTIME.getUptime() / 1000;

        SystemInfo info = reader(stub(Map.of("getSystemLoadAverage", 0.75))).read();

        assertThat(info.uptime()).isBetween(before, RUNTIME.getUptime() / 1000);
        assertThat(info.cpuloadavg()).isEqualTo(new LoadAverage(0.75, null, null));
        assertThat(info.devicename()).isNotNull();
    }

    @Test
    void fallsBackWhenProcFilesAreMalformed() throws IOException {
        Files.writeString(proc.resolve("uptime"), "garbage\n");
        Files.writeString(proc.resolve("loadavg"), "0.52\n");

        SystemInfo info = reader(stub(Map.of("getSystemLoadAverage", -1.0))).read();

        assertThat(info.uptime()).isLessThanOrEqualTo(RUNTIME.getUptime() / 1000);
        assertThat(info.cpuloadavg()).isEqualTo(new LoadAverage(null, null, null));
    }

    @Test
    void reportsMemoryAndCpuLoadOfTheMxBean() {
        OperatingSystemMXBean os = stub(Map.of("getTotalMemorySize", 4096L, "getFreeMemorySize", 1024L,
                "getTotalSwapSpaceSize", 2048L, "getFreeSwapSpaceSize", 512L, "getCpuLoad", 0.426));

        SystemInfo info = reader(os).read();

        assertThat(info.totalram()).isEqualTo(4096L);
        assertThat(info.freeram()).isEqualTo(1024L);
        assertThat(info.totalswap()).isEqualTo(2048L);
        assertThat(info.freeswap()).isEqualTo(512L);
        assertThat(info.cpuload()).isEqualTo(43);
    }

    @Test
    void reportsAnUnavailableCpuLoadAsZero() {
        assertThat(reader(stub(Map.of("getCpuLoad", -1.0))).read().cpuload()).isZero();
    }

    @Test
    void formatsTheTimeAsRfc1123() {
        String time = reader(stub(Map.of())).read().time();

        assertThat(time).isEqualTo("Thu, 05 Nov 2026 14:05:38 GMT");
        assertThat(ZonedDateTime.parse(time, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).isEqualTo(NOW);
    }

    private SystemInfoReader reader(OperatingSystemMXBean os) {
        return new SystemInfoReader("1.2.3", os, RUNTIME, Clock.fixed(NOW, ZoneOffset.UTC), proc);
    }

    /** An MXBean answering the given values and, for other numeric getters, zero. */
    private static OperatingSystemMXBean stub(Map<String, Object> values) {
        return (OperatingSystemMXBean) Proxy.newProxyInstance(SystemInfoReaderTest.class.getClassLoader(),
                new Class<?>[] {OperatingSystemMXBean.class}, (proxy, method, args) -> {
                    Object zero = ZEROS.get(method.getReturnType());
                    return values.getOrDefault(method.getName(), zero);
                });
    }
}
