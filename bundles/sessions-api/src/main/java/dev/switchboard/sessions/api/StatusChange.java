package dev.switchboard.sessions.api;

/** Event {@code statuschange}: an order's service status changed. */
public record StatusChange(String order, String product, String clientKey, ServiceStatus from, ServiceStatus to,
        String reason) {
}
