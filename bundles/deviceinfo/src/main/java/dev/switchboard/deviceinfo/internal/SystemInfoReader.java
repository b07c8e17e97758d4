package dev.switchboard.deviceinfo.internal;

import java.io.IOException;
import java.lang.management.RuntimeMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import com.sun.management.OperatingSystemMXBean;

import dev.switchboard.deviceinfo.internal.JDeviceInfo.LoadAverage;
import dev.switchboard.deviceinfo.internal.JDeviceInfo.SystemInfo;

/** Reads {@link SystemInfo} from the platform MXBeans and, where present, a {@code /proc} tree. */
final class SystemInfoReader {

    /** RFC 1123 with a two-digit day, as HTTP dates are written. */
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final String version;
    private final OperatingSystemMXBean os;
    private final RuntimeMXBean runtime;
    private final Clock clock;
    private final Path proc;

    SystemInfoReader(String version, OperatingSystemMXBean os, RuntimeMXBean runtime, Clock clock, Path proc) {
        this.version = version;
        this.os = os;
        this.runtime = runtime;
        this.clock = clock;
        this.proc = proc;
    }

    SystemInfo read() {
        return new SystemInfo(version, uptime(), os.getTotalMemorySize(), os.getFreeMemorySize(),
                os.getTotalSwapSpaceSize(), os.getFreeSwapSpaceSize(), devicename(), cpuload(), loadAverage(),
                TIME.format(clock.instant()));
    }

    private long uptime() {
        return parse("uptime", f -> (long) Double.parseDouble(f[0]))
                .orElseGet(() -> runtime.getUptime() / 1000);
    }

    private int cpuload() {
        double load = os.getCpuLoad();
        return load < 0 ? 0 : (int) Math.round(Math.min(load, 1.0) * 100);
    }

    private LoadAverage loadAverage() {
        return parse("loadavg", f -> new LoadAverage(Double.valueOf(f[0]), Double.valueOf(f[1]), Double.valueOf(f[2])))
                .orElseGet(() -> {
                    double avg = os.getSystemLoadAverage();
                    return new LoadAverage(avg < 0 ? null : avg, null, null);
                });
    }

    private String devicename() {
        return parse("sys/kernel/hostname", f -> f[0]).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "";
            }
        });
    }

    /**
     * Parses the whitespace-separated fields of a file under the proc tree; empty when the file is
     * missing, unreadable, blank or not in the expected format.
     */
    private <T> Optional<T> parse(String file, Function<String[], T> parser) {
        try {
            String content = Files.readString(proc.resolve(file), StandardCharsets.US_ASCII).strip();
            return content.isEmpty() ? Optional.empty() : Optional.of(parser.apply(content.split("\\s+")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
