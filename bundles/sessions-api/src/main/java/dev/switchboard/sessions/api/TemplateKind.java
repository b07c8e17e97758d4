package dev.switchboard.sessions.api;

/** A template describes either an offer or the access message a client receives. */
public enum TemplateKind {
    OFFER, ACCESS
}
