package dev.switchboard.rpc.internal;

import java.util.List;

import dev.switchboard.rpc.metrics.MethodMetrics;
import dev.switchboard.rpc.metrics.RpcMetrics;

/** Writes the request metrics in the Prometheus text exposition format, version 0.0.4. */
final class PrometheusFormat {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String REQUESTS = "switchboard_rpc_requests_total";
    private static final String ERRORS = "switchboard_rpc_errors_total";
    private static final String DURATION = "switchboard_rpc_request_duration_seconds";
    private static final String MAX = "switchboard_rpc_request_duration_max_seconds";

    private PrometheusFormat() {
    }

    static String format(RpcMetrics metrics) {
        List<MethodMetrics> all = metrics.snapshot();
        List<Long> bounds = metrics.latencyBoundsMicros();
        StringBuilder out = new StringBuilder(256 + all.size() * 1024);

        header(out, REQUESTS, "counter", "JSON-RPC requests answered, by callsign and method");
        for (MethodMetrics m : all) {
            sample(out, REQUESTS, labels(m), Long.toString(m.requests()));
        }
        header(out, ERRORS, "counter", "JSON-RPC requests answered with an error, by callsign, method and error code");
        for (MethodMetrics m : all) {
            m.errorCodes().forEach((code, count) ->
                    sample(out, ERRORS, labels(m) + ",code=\"" + code + "\"", Long.toString(count)));
        }
        header(out, DURATION, "histogram", "Time from reading a JSON-RPC request to its answer");
        for (MethodMetrics m : all) {
            String labels = labels(m);
            long cumulative = 0;
            for (int i = 0; i < m.latencyBuckets().size(); i++) {
                cumulative += m.latencyBuckets().get(i);
                String le = i < bounds.size() ? seconds(bounds.get(i)) : "+Inf";
                sample(out, DURATION + "_bucket", labels + ",le=\"" + le + "\"", Long.toString(cumulative));
            }
            sample(out, DURATION + "_sum", labels, seconds(m.latencySumMicros()));
            sample(out, DURATION + "_count", labels, Long.toString(m.requests()));
        }
        header(out, MAX, "gauge", "The longest JSON-RPC request since the transport started");
        for (MethodMetrics m : all) {
            sample(out, MAX, labels(m), seconds(m.latencyMaxMicros()));
        }
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, String value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String labels(MethodMetrics m) {
        return "callsign=\"" + escape(m.callsign()) + "\",method=\"" + escape(m.method()) + '"';
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '"' -> escaped.append("\\\"");
                case '\n' -> escaped.append("\\n");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Microseconds as seconds, without a needless exponent: 2500 is 0.0025. */
    static String seconds(long micros) {
        return java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }
}
