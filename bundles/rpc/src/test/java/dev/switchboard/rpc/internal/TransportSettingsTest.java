package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.api.config.Settings;

class TransportSettingsTest {

    private final TransportSettings tuned = new TransportSettings(false, 4096, 10, 5, 1000, 2, 50, 500, 70_000, 60,
            Cors.parse("https://console.example"));

    private Map<String, ?> properties = Map.of();

    private Settings settings(Map<String, ?> properties) {
        this.properties = properties;
        return new Settings(JsonRpcServlet.PID, properties);
    }

    private TransportSettings read(Settings settings, TransportSettings previous) {
        return TransportSettings.read(settings, properties, previous);
    }

    @Test
    void aKeyTakenOutReturnsToItsDefault() {
        assertThat(read(settings(Map.of("enforce", "false")), tuned)).isEqualTo(
                new TransportSettings(false, TransportSettings.DEFAULT_MAX_REQUEST_BYTES, TransportSettings.DEFAULT_MAX_NESTING_DEPTH,
                        TransportSettings.DEFAULT_MAX_BATCH_SIZE, TransportSettings.DEFAULT_CALL_TIMEOUT_MILLIS,
                        TransportSettings.DEFAULT_WORKER_THREADS, TransportSettings.DEFAULT_MAX_CALLS_PER_CLIENT,
                        TransportSettings.DEFAULT_MAX_CALLS_IN_PROGRESS, TransportSettings.DEFAULT_MAX_PENDING_BYTES,
                        TransportSettings.DEFAULT_IDLE_TIMEOUT_SECONDS, Cors.ANY));
    }

    @Test
    void enforceAnythingButTrueOrFalseKeepsCheckingOnAndSaysSo() {
        for (String bad : new String[] {"maybe", "", "yes", "1", "off"}) {
            Settings read = settings(Map.of("enforce", bad));
            assertThat(read(read, tuned).enforce()).as(bad).isTrue();
            assertThat(read.rejections()).as(bad).singleElement().asString()
                    .contains("dev.switchboard.rpc", "enforce", "\"" + bad + "\"", "keeping true");
        }
        assertThat(read(settings(Map.of("enforce", "false")), TransportSettings.DEFAULTS).enforce()).isFalse();
        assertThat(read(settings(Map.of("enforce", " TRUE ")), tuned).enforce()).isTrue();
        assertThat(read(settings(Map.of("enforce", Boolean.FALSE)), tuned).enforce()).isFalse();
    }

    @Test
    void aNumberOutOfRangeKeepsThePreviousValue() {
        Settings read = settings(Map.of("maxRequestBytes", "-5", "maxCallsPerClient", 0, "callTimeoutMillis", "99999999999"));
        TransportSettings next = read(read, tuned);
        assertThat(next.maxRequestBytes()).isEqualTo(4096);
        assertThat(next.maxCallsPerClient()).isEqualTo(50);
        assertThat(next.callTimeoutMillis()).isEqualTo(1000);
        assertThat(read.rejections()).hasSize(3).anySatisfy(line -> assertThat(line)
                .contains("maxRequestBytes = \"-5\"", "outside " + TransportSettings.MIN_REQUEST_BYTES, "keeping 4096"));
    }

    @Test
    void wrongTypesAndEmptyValuesKeepThePreviousValue() {
        Settings read = settings(Map.of("maxBatchSize", "lots", "workerThreads", "", "maxPendingBytesPerConnection", "1.5",
                "webSocketIdleTimeoutSeconds", "  "));
        TransportSettings next = read(read, tuned);
        assertThat(next).isEqualTo(new TransportSettings(true, TransportSettings.DEFAULT_MAX_REQUEST_BYTES,
                TransportSettings.DEFAULT_MAX_NESTING_DEPTH, 5, TransportSettings.DEFAULT_CALL_TIMEOUT_MILLIS, 2,
                TransportSettings.DEFAULT_MAX_CALLS_PER_CLIENT, TransportSettings.DEFAULT_MAX_CALLS_IN_PROGRESS, 70_000, 60,
                Cors.ANY));
        assertThat(read.rejections()).hasSize(4);
    }

    @Test
    void corsOriginsTakeAListOrAnyAndABadEntryKeepsThePreviousList() {
        TransportSettings two = read(settings(Map.of("corsOrigins", "https://A.example:8443, http://localhost:3000")), tuned);
        assertThat(two.cors().origins()).containsExactlyInAnyOrder("https://a.example:8443", "http://localhost:3000");
        assertThat(read(settings(Map.of("corsOrigins", "*")), tuned).cors()).isEqualTo(Cors.ANY);
        for (String bad : new String[] {"console.example", "https://a.example/page", "https://*.example", " "}) {
            Settings read = settings(Map.of("corsOrigins", bad));
            assertThat(read(read, tuned).cors()).as(bad).isEqualTo(tuned.cors());
            assertThat(read.rejections()).as(bad).singleElement().asString().contains("corsOrigins", "keeping https://console.example");
        }
    }

    @Test
    void theMetatypeRangesAreWhatIsAccepted() {
        Map<String, String[]> ranges = Map.of(
                "maxRequestBytes", new String[] {TransportSettings.MIN_REQUEST_BYTES, TransportSettings.MAX_REQUEST_BYTES},
                "maxNestingDepth", new String[] {TransportSettings.MIN_NESTING_DEPTH, TransportSettings.MAX_NESTING_DEPTH},
                "maxBatchSize", new String[] {TransportSettings.MIN_BATCH_SIZE, TransportSettings.MAX_BATCH_SIZE},
                "workerThreads", new String[] {TransportSettings.MIN_WORKER_THREADS, TransportSettings.MAX_WORKER_THREADS},
                "maxCallsPerClient", new String[] {TransportSettings.MIN_CALLS_PER_CLIENT, TransportSettings.MAX_CALLS_PER_CLIENT},
                "maxCallsInProgress", new String[] {TransportSettings.MIN_CALLS_IN_PROGRESS, TransportSettings.MAX_CALLS_IN_PROGRESS},
                "maxPendingBytesPerConnection", new String[] {TransportSettings.MIN_PENDING_BYTES, TransportSettings.MAX_PENDING_BYTES});
        ranges.forEach((key, range) -> {
            long min = Long.parseLong(range[0]);
            long max = Long.parseLong(range[1]);
            for (long accepted : new long[] {min, max}) {
                Settings read = settings(Map.of(key, String.valueOf(accepted)));
                read(read, TransportSettings.DEFAULTS);
                assertThat(read.rejections()).as(key + "=" + accepted).isEmpty();
            }
            for (long refused : new long[] {min - 1, max + 1}) {
                Settings read = settings(Map.of(key, String.valueOf(refused)));
                read(read, TransportSettings.DEFAULTS);
                assertThat(read.rejections()).as(key + "=" + refused).hasSize(1);
            }
        });
    }

    @Test
    void unknownKeysAreNamedAndKnownOnesAreNot() {
        Settings read = settings(Map.of("enforce", "true", "maxRequestByte", "10", "queuedCalls", "5", "metricsEndpoint",
                "false", "service.pid", "dev.switchboard.rpc", "felix.fileinstall.filename", "file:/etc/x.cfg"));
        read(read, TransportSettings.DEFAULTS);
        assertThat(read.unknownKeyWarnings(JsonRpcServlet.Config.class)).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("\"maxRequestByte\""))
                .anySatisfy(line -> assertThat(line).contains("\"queuedCalls\""));
    }

    @Test
    void noPropertiesGiveTheDefaults() {
        Settings read = settings(Map.of());
        assertThat(read(read, TransportSettings.DEFAULTS)).isEqualTo(TransportSettings.DEFAULTS);
        assertThat(read.rejections()).isEmpty();
    }
}
