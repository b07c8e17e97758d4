package dev.switchboard.sessions.api;

/**
 * A JSON Schema template.
 *
 * @param id     SHA-256 (hex) of the compacted schema JSON
 * @param kind   offer or access
 * @param schema the compacted schema JSON
 */
public record Template(String id, TemplateKind kind, String schema) {
}
