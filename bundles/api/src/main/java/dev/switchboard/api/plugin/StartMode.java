package dev.switchboard.api.plugin;

/** Thunder's start modes: what state a configured plugin is brought to when the host starts. */
public enum StartMode {
    Activated, Deactivated, Unavailable
}
