package dev.switchboard.sessions.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

final class MutableClock implements LongSupplier {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    void advanceSeconds(long seconds) {
        now.addAndGet(seconds * 1000);
    }
}
