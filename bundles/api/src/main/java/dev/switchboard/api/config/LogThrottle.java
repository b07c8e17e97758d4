package dev.switchboard.api.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps a repeated log line from flooding the log: for one key (a client and a reason, say) at
 * most one line per interval, and at most {@code linesPerInterval} lines per interval for all keys
 * together, so that a client cycling through addresses cannot flood it either. A line that is
 * written says how many like it were held back. At most {@code maxKeys} keys are remembered,
 * those heard from longest ago forgotten first: memory stays bounded whatever the clients do.
 */
public final class LogThrottle {

    private static final class Held {
        long lastWritten;
        long heldBack;

        Held(long lastWritten) {
            this.lastWritten = lastWritten;
        }
    }

    private final long intervalNanos;
    private final int linesPerInterval;
    private final LongSupplier nanoTime;
    private final Map<String, Held> keys;
    private long windowStart;
    private int linesInWindow;
    private long othersHeldBack;

    /**
     * @param interval         how long one key stays quiet after a line
     * @param maxKeys          how many keys are remembered
     * @param linesPerInterval lines written per interval for all keys together
     */
    public LogThrottle(Duration interval, int maxKeys, int linesPerInterval) {
        this(interval, maxKeys, linesPerInterval, System::nanoTime);
    }

    LogThrottle(Duration interval, int maxKeys, int linesPerInterval, LongSupplier nanoTime) {
        if (interval.isNegative() || interval.isZero() || maxKeys < 1 || linesPerInterval < 1) {
            throw new IllegalArgumentException("a positive interval, key count and line count are needed");
        }
        this.intervalNanos = interval.toNanos();
        this.linesPerInterval = linesPerInterval;
        this.nanoTime = nanoTime;
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
                return size() > maxKeys;
            }
        };
        this.windowStart = nanoTime.getAsLong();
    }

    /**
     * Whether a line for {@code key} is written now.
     *
     * @return {@code null} when the line is held back, else what to append to it: empty, or how
     *         many lines were held back since this key's last one (and, throttled as a whole, of other keys)
     */
    public synchronized String admit(String key) {
        long now = nanoTime.getAsLong();
        Held held = keys.get(key);
        if (held != null && now - held.lastWritten < intervalNanos) {
            held.heldBack++;
            return null;
        }
        if (now - windowStart >= intervalNanos) {
            windowStart = now;
            linesInWindow = 0;
        }
        if (linesInWindow >= linesPerInterval) {
            // not remembered: a flood of new keys must not push out the ones that are quiet
            if (held != null) {
                held.heldBack++;
            } else {
                othersHeldBack++;
            }
            return null;
        }
        linesInWindow++;
        long mine = 0;
        if (held == null) {
            keys.put(key, new Held(now));
        } else {
            mine = held.heldBack;
            held.heldBack = 0;
            held.lastWritten = now;
        }
        long others = othersHeldBack;
        othersHeldBack = 0;
        return suffix(mine, others);
    }

    private static String suffix(long mine, long others) {
        if (mine == 0 && others == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder(" (held back since the last: ");
        if (mine > 0) {
            text.append(mine).append(" like this");
        }
        if (others > 0) {
            text.append(mine > 0 ? ", " : "").append(others).append(" of other clients");
        }
        return text.append(')').toString();
    }
}
