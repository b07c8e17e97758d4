package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class PrometheusFormatTest {

    /** A sample line of the text format: name, optional labels, a value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? [-+0-9.eE]+|[-+]?Inf|NaN");

    private final Metrics metrics = new Metrics();

    @Test
    void writesCountersErrorsAndACumulativeHistogram() {
        Metrics.Cell cell = metrics.cell("DeviceInfo", "systeminfo");
        cell.record(400_000, 0);       // 0.4 ms
        cell.record(2_000_000, 0);     // 2 ms
        cell.record(30_000_000_000L, -32000); // 30 s
        metrics.unknown().record(1_000, -32601);

        String text = PrometheusFormat.format(metrics);
        List<String> lines = text.lines().toList();

        assertThat(lines).contains(
                "# TYPE switchboard_rpc_requests_total counter",
                "switchboard_rpc_requests_total{callsign=\"DeviceInfo\",method=\"systeminfo\"} 3",
                "switchboard_rpc_requests_total{callsign=\"unknown\",method=\"unknown\"} 1",
                "# TYPE switchboard_rpc_errors_total counter",
                "switchboard_rpc_errors_total{callsign=\"DeviceInfo\",method=\"systeminfo\",code=\"-32000\"} 1",
                "switchboard_rpc_errors_total{callsign=\"unknown\",method=\"unknown\",code=\"-32601\"} 1",
                "# TYPE switchboard_rpc_request_duration_seconds histogram",
                "switchboard_rpc_request_duration_seconds_bucket{callsign=\"DeviceInfo\",method=\"systeminfo\",le=\"0.0005\"} 1",
                "switchboard_rpc_request_duration_seconds_bucket{callsign=\"DeviceInfo\",method=\"systeminfo\",le=\"0.0025\"} 2",
                "switchboard_rpc_request_duration_seconds_bucket{callsign=\"DeviceInfo\",method=\"systeminfo\",le=\"10\"} 2",
                "switchboard_rpc_request_duration_seconds_bucket{callsign=\"DeviceInfo\",method=\"systeminfo\",le=\"+Inf\"} 3",
                "switchboard_rpc_request_duration_seconds_sum{callsign=\"DeviceInfo\",method=\"systeminfo\"} 30.0024",
                "switchboard_rpc_request_duration_seconds_count{callsign=\"DeviceInfo\",method=\"systeminfo\"} 3",
                "switchboard_rpc_request_duration_max_seconds{callsign=\"DeviceInfo\",method=\"systeminfo\"} 30");
        assertThat(text).endsWith("\n");
        for (String line : lines) {
            assertThat(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches())
                    .as(line).isTrue();
        }
        // one HELP and TYPE per metric family, each family's samples together
        assertThat(lines.stream().filter(l -> l.startsWith("# TYPE")).count()).isEqualTo(4);
    }

    @Test
    void bucketsAreCumulativeAndEndWithTheCount() {
        Metrics.Cell cell = metrics.cell("P", "m");
        for (long micros : new long[] {100, 900, 7_000, 60_000, 600_000, 6_000_000}) {
            cell.record(micros * 1_000, 0);
        }
        long previous = -1;
        for (String line : PrometheusFormat.format(metrics).lines().filter(l -> l.contains("_bucket")).toList()) {
            long value = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            assertThat(value).isGreaterThanOrEqualTo(previous);
            previous = value;
        }
        assertThat(previous).isEqualTo(6);
    }

    @Test
    void emptyMetricsStillDescribeTheFamilies() {
        String text = PrometheusFormat.format(metrics);
        assertThat(text).contains("# TYPE switchboard_rpc_requests_total counter").doesNotContain("{");
    }

    @Test
    void labelValuesAndSecondsAreWrittenAsTheFormatWants() {
        assertThat(PrometheusFormat.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
        assertThat(PrometheusFormat.seconds(2_500)).isEqualTo("0.0025");
        assertThat(PrometheusFormat.seconds(10_000_000)).isEqualTo("10");
        assertThat(PrometheusFormat.seconds(0)).isEqualTo("0");
    }
}
