package dev.switchboard.rpc.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;

import dev.switchboard.rpc.metrics.MethodMetrics;
import dev.switchboard.rpc.metrics.RpcMetrics;

/**
 * Counts what the dispatcher answers. Recording takes no lock: every counter is a
 * {@link LongAdder} (the maximum a {@link LongAccumulator}), and the entry of a callsign and
 * method is found with two map reads. Entries are created only for names the dispatcher has
 * resolved to a bound plugin and a declared method; everything else shares one entry.
 */
@Component(service = { RpcMetrics.class, Metrics.class })
public class Metrics implements RpcMetrics {

    /** Upper bounds of the latency buckets in microseconds: 0.5 ms to 10 s. */
    static final long[] BOUNDS_MICROS = { 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
            500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000 };
    private static final List<Long> BOUNDS = java.util.Arrays.stream(BOUNDS_MICROS).boxed().toList();
    /** Distinct error codes kept per entry; further codes are counted under 0. */
    static final int MAX_ERROR_CODES = 32;
    private static final Comparator<MethodMetrics> ORDER =
            Comparator.comparing(MethodMetrics::callsign).thenComparing(MethodMetrics::method);

    private final Map<String, Map<String, Cell>> byCallsign = new ConcurrentHashMap<>();

    /** The counters of one callsign and method. */
    static final class Cell {
        private final String callsign;
        private final String method;
        private final LongAdder requests = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final Map<Integer, LongAdder> errorCodes = new ConcurrentHashMap<>();
        private final LongAdder sumMicros = new LongAdder();
        private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);
        private final LongAdder[] buckets = new LongAdder[BOUNDS_MICROS.length + 1];

        Cell(String callsign, String method) {
            this.callsign = callsign;
            this.method = method;
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        /**
         * @param nanos     how long the request took
         * @param errorCode the JSON-RPC error code it was answered with, 0 for a result
         */
        void record(long nanos, int errorCode) {
            long micros = Math.max(0, nanos / 1_000);
            requests.increment();
            sumMicros.add(micros);
            maxMicros.accumulate(micros);
            buckets[bucket(micros)].increment();
            if (errorCode != 0) {
                errors.increment();
                errorCounter(errorCode).increment();
            }
        }

        private LongAdder errorCounter(int code) {
            LongAdder counter = errorCodes.get(code);
            if (counter != null) {
                return counter;
            }
            int key = errorCodes.size() < MAX_ERROR_CODES ? code : 0;
            return errorCodes.computeIfAbsent(key, k -> new LongAdder());
        }

        private static int bucket(long micros) {
            int i = 0;
            while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
                i++;
            }
            return i;
        }

        MethodMetrics snapshot() {
            Map<Integer, Long> codes = new TreeMap<>();
            errorCodes.forEach((code, count) -> codes.put(code, count.sum()));
            List<Long> counts = new ArrayList<>(buckets.length);
            for (LongAdder bucket : buckets) {
                counts.add(bucket.sum());
            }
            return new MethodMetrics(callsign, method, requests.sum(), errors.sum(), codes, sumMicros.sum(),
                    maxMicros.get(), counts);
        }
    }

    /**
     * The entry of a callsign and method. The caller makes sure both are bounded: a bound plugin's
     * callsign and one of its declared methods, or {@link #UNKNOWN}.
     */
    Cell cell(String callsign, String method) {
        Map<String, Cell> methods = byCallsign.get(callsign);
        if (methods == null) {
            methods = byCallsign.computeIfAbsent(callsign, c -> new ConcurrentHashMap<>());
        }
        Cell cell = methods.get(method);
        if (cell == null) {
            cell = methods.computeIfAbsent(method, m -> new Cell(callsign, m));
        }
        return cell;
    }

    /** The entry of calls that name no bound plugin, or are not valid requests at all. */
    Cell unknown() {
        return cell(UNKNOWN, UNKNOWN);
    }

    @Override
    public List<Long> latencyBoundsMicros() {
        return BOUNDS;
    }

    @Override
    public List<MethodMetrics> snapshot() {
        List<MethodMetrics> all = new ArrayList<>();
        byCallsign.values().forEach(methods -> methods.values().forEach(cell -> all.add(cell.snapshot())));
        all.sort(ORDER);
        return all;
    }

    @Override
    public List<MethodMetrics> snapshot(String callsign) {
        Map<String, Cell> methods = byCallsign.get(callsign);
        if (methods == null) {
            return List.of();
        }
        List<MethodMetrics> all = new ArrayList<>();
        methods.values().forEach(cell -> all.add(cell.snapshot()));
        all.sort(ORDER);
        return all;
    }
}
