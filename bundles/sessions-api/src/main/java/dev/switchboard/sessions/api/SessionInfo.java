package dev.switchboard.sessions.api;

/**
 * One connection of a client.
 *
 * @param side       {@code agent} or {@code client}: which adapter reported it
 * @param connection the adapter's identifier of the connection
 * @param stopped    0 while open
 * @param seconds    from start to stop or to the last report
 */
public record SessionInfo(String id, String order, String side, String connection, String clientAddress,
        long started, long stopped, long bytesUp, long bytesDown, long seconds) {
}
