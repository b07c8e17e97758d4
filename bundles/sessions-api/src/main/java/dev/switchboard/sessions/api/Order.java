package dev.switchboard.sessions.api;

/**
 * A client's order (Privatix: channel). Times are milliseconds since the epoch.
 *
 * @param offering         {@code null} for an access message imported on a client node
 *
 * @param clientKey        the client's user name towards the adapter
 * @param deposit          what the client deposited
 * @param paymentsReceived what the client has paid so far
 * @param bytesUp          cumulative bytes client to service, over all agent-side sessions
 * @param bytesDown        cumulative bytes service to client
 * @param seconds          cumulative session seconds
 * @param units            billed units ({@link UnitType}) used, rounded up
 * @param cost             setup price plus units times unit price
 * @param lastUsage        time of the last usage increase (or of activation), 0 if none
 */
public record Order(String id, String offering, String product, String clientKey, ServiceStatus status,
        long statusChanged, long deposit, long paymentsReceived, long bytesUp, long bytesDown, long seconds,
        long units, long cost, long lastUsage, long created) {
}
