package dev.switchboard.sessions.api;

/** Event {@code connchange}: a session started or stopped ({@code command} is {@code start} or {@code stop}). */
public record ConnectionChange(String order, String product, String session, String connection, String command) {
}
