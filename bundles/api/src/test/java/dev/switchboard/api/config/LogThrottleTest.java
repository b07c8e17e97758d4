package dev.switchboard.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final AtomicLong clock = new AtomicLong(1_000);

    private LogThrottle throttle(int maxKeys, int linesPerInterval) {
        return new LogThrottle(MINUTE, maxKeys, linesPerInterval, clock::get);
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    @Test
    void oneLinePerKeyAndIntervalThenTheCountOfThoseHeldBack() {
        LogThrottle throttle = throttle(100, 100);

        assertThat(throttle.admit("10.0.0.1 -32604")).isEmpty();
        for (int i = 0; i < 1000; i++) {
            assertThat(throttle.admit("10.0.0.1 -32604")).isNull();
        }
        assertThat(throttle.admit("10.0.0.1 -32601")).as("another reason").isEmpty();
        assertThat(throttle.admit("10.0.0.2 -32604")).as("another client").isEmpty();

        advance(MINUTE);
        assertThat(throttle.admit("10.0.0.1 -32604")).isEqualTo(" (held back since the last: 1000 like this)");
        assertThat(throttle.admit("10.0.0.1 -32604")).isNull();
        advance(MINUTE);
        assertThat(throttle.admit("10.0.0.1 -32604")).isEqualTo(" (held back since the last: 1 like this)");
    }

    @Test
    void clientsCyclingAddressesGetAFixedNumberOfLinesPerInterval() {
        LogThrottle throttle = throttle(1000, 20);

        int written = 0;
        for (int i = 0; i < 100_000; i++) {
            if (throttle.admit("client " + i) != null) {
                written++;
            }
        }
        assertThat(written).isEqualTo(20);

        advance(MINUTE);
        assertThat(throttle.admit("one more")).isEqualTo(" (held back since the last: 99980 of other clients)");
    }

    @Test
    void remembersABoundedNumberOfKeysForgettingTheLongestQuiet() {
        LogThrottle throttle = throttle(2, 100);

        assertThat(throttle.admit("a")).isEmpty();
        assertThat(throttle.admit("b")).isEmpty();
        assertThat(throttle.admit("a")).isNull();
        assertThat(throttle.admit("c")).isEmpty();
        assertThat(throttle.admit("a")).as("still remembered: heard from last").isNull();
        assertThat(throttle.admit("b")).as("forgotten for c").isEmpty();
    }

    @Test
    void aKeyHeldBackByTheOverallLimitCountsItsLines() {
        LogThrottle throttle = throttle(100, 2);

        assertThat(throttle.admit("a")).isEmpty();
        assertThat(throttle.admit("b")).isEmpty();
        advance(MINUTE);
        assertThat(throttle.admit("c")).isEmpty();
        assertThat(throttle.admit("d")).isEmpty();
        assertThat(throttle.admit("a")).isNull();
        advance(MINUTE);
        assertThat(throttle.admit("a")).isEqualTo(" (held back since the last: 1 like this)");
    }
}
