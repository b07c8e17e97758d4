package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.rpc.metrics.MethodMetrics;

class MetricsTest {

    private final Metrics metrics = new Metrics();

    private static long ms(double millis) {
        return (long) (millis * 1_000_000);
    }

    @Test
    void recordsCountsErrorsAndHistogram() {
        Metrics.Cell cell = metrics.cell("DeviceInfo", "systeminfo");
        cell.record(ms(0.2), 0);
        cell.record(ms(0.5), 0);
        cell.record(ms(3), -32602);
        cell.record(ms(20_000), -32000);
        cell.record(ms(3), -32602);

        MethodMetrics m = metrics.snapshot().get(0);
        assertThat(m.callsign()).isEqualTo("DeviceInfo");
        assertThat(m.method()).isEqualTo("systeminfo");
        assertThat(m.requests()).isEqualTo(5);
        assertThat(m.errors()).isEqualTo(3);
        assertThat(m.errorCodes()).containsExactly(Map.entry(-32602, 2L), Map.entry(-32000, 1L));
        assertThat(m.latencySumMicros()).isEqualTo(200 + 500 + 3_000 + 20_000_000 + 3_000);
        assertThat(m.latencyMaxMicros()).isEqualTo(20_000_000);
        List<Long> buckets = m.latencyBuckets();
        assertThat(buckets).hasSize(Metrics.BOUNDS_MICROS.length + 1);
        assertThat(buckets.get(0)).as("<= 0.5 ms, bound inclusive").isEqualTo(2);
        assertThat(buckets.get(3)).as("<= 5 ms").isEqualTo(2);
        assertThat(buckets.get(buckets.size() - 1)).as("above 10 s").isEqualTo(1);
    }

    @Test
    void theSameNamesShareOneEntryAndSnapshotsAreOrdered() {
        metrics.cell("B", "x").record(1, 0);
        metrics.cell("A", "y").record(1, 0);
        metrics.cell("A", "x").record(1, 0);
        metrics.cell(new String("A"), new String("x")).record(1, 0);
        metrics.unknown().record(1, -32700);
        assertThat(metrics.snapshot()).extracting(m -> m.callsign() + "." + m.method() + "=" + m.requests())
                .containsExactly("A.x=2", "A.y=1", "B.x=1", "unknown.unknown=1");
        assertThat(metrics.snapshot("A")).hasSize(2);
        assertThat(metrics.snapshot("C")).isEmpty();
    }

    @Test
    void errorCodesPerEntryAreBounded() {
        Metrics.Cell cell = metrics.cell("P", "m");
        for (int code = 1; code <= 100; code++) {
            cell.record(1, -code);
        }
        MethodMetrics m = metrics.snapshot().get(0);
        assertThat(m.errors()).isEqualTo(100);
        assertThat(m.errorCodes()).hasSizeLessThanOrEqualTo(Metrics.MAX_ERROR_CODES + 1);
        assertThat(m.errorCodes().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
        assertThat(m.errorCodes()).containsKey(0);
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        metrics.cell("P", i % 2 == 0 ? "even" : "odd").record(ms(1), i % 10 == 0 ? -32603 : 0);
                        if (i == 5_000) {
                            metrics.cell("Q" + thread, "m").record(1, 0);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long requests = metrics.snapshot("P").stream().mapToLong(MethodMetrics::requests).sum();
        long errors = metrics.snapshot("P").stream().mapToLong(MethodMetrics::errors).sum();
        assertThat(requests).isEqualTo(80_000);
        assertThat(errors).isEqualTo(8_000);
        assertThat(metrics.snapshot()).hasSize(2 + 8);
    }
}
