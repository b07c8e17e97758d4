package dev.switchboard.sessions.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing per client key: after {@code freeFailures} failures in a row, each
 * further attempt is refused unchecked until a delay (doubling per failure, capped) has passed.
 */
final class Throttle {

    private static final int MAX_KEYS = 100_000;

    private record State(int failures, long lockedUntil) {
    }

    private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final int freeFailures;
    private final long baseDelayMs;
    private final long maxDelayMs;

    Throttle(LongSupplier clock, int freeFailures, long baseDelayMs, long maxDelayMs) {
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.baseDelayMs = baseDelayMs;
        this.maxDelayMs = maxDelayMs;
    }

    /** Milliseconds until {@code key} may try again; 0 when it may now. */
    long wait(String key) {
        State state = states.get(key);
        return state == null ? 0 : Math.max(0, state.lockedUntil - clock.getAsLong());
    }

    void failed(String key) {
        if (states.size() > MAX_KEYS) {
            states.clear();
        }
        states.compute(key, (k, old) -> {
            int failures = old == null ? 1 : old.failures + 1;
            long delay = 0;
            if (failures >= freeFailures) {
                int doublings = Math.min(30, failures - freeFailures);
                delay = Math.min(maxDelayMs, baseDelayMs << doublings);
            }
            return new State(failures, clock.getAsLong() + delay);
        });
    }

    void succeeded(String key) {
        states.remove(key);
    }
}
