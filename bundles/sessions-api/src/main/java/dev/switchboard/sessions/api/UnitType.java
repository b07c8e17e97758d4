package dev.switchboard.sessions.api;

/** What an offering sells: transferred bytes (up plus down) or connected seconds. */
public enum UnitType {
    BYTES, SECONDS
}
