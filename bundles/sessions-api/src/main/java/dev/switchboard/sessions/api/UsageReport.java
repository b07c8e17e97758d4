package dev.switchboard.sessions.api;

/**
 * Cumulative totals of one session: a retried report changes nothing, a lower total than the
 * stored one is refused.
 */
public record UsageReport(long bytesUp, long bytesDown) {
}
