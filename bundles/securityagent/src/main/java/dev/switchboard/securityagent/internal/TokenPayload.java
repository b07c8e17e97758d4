package dev.switchboard.securityagent.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a local application asks a token for: Thunder's {@code {"url","user","hash"}} or a bare
 * URL string.
 *
 * @param url  the URL of the application the token is for; the ACL applies to its origin
 * @param user the user, or {@code null}
 * @param hash Thunder's application hash, or {@code null}
 */
record TokenPayload(String url, String user, String hash) {

    static final int MAX_FIELD_CHARS = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException naming what is wrong with the payload */
    static TokenPayload parse(String payload) {
        if (payload == null) {
            throw new IllegalArgumentException("empty payload");
        }
        String text = payload.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty payload");
        }
        if (text.startsWith("{") || text.startsWith("\"")) {
            return fromJson(text);
        }
        return new TokenPayload(requireUrl(text), null, null);
    }

    private static TokenPayload fromJson(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not valid JSON");
        }
        if (node.isTextual()) {
            return new TokenPayload(requireUrl(node.asText()), null, null);
        }
        if (!node.path("url").isTextual()) {
            throw new IllegalArgumentException("payload needs a \"url\" string");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!name.equals("url") && !name.equals("user") && !name.equals("hash")) {
                throw new IllegalArgumentException("payload has an unknown member \"" + name + "\"");
            }
        });
        return new TokenPayload(requireUrl(node.get("url").asText()), optional(node, "user"), optional(node, "hash"));
    }

    private static String optional(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("payload member \"" + name + "\" must be a string");
        }
        return requirePrintable(name, value.asText());
    }

    private static String requireUrl(String url) {
        requirePrintable("url", url);
        if (Origin.of(url).isEmpty()) {
            throw new IllegalArgumentException("not a URL with a scheme and host: " + url);
        }
        return url;
    }

    private static String requirePrintable(String name, String value) {
        if (value.length() > MAX_FIELD_CHARS) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_FIELD_CHARS + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(name + " contains control characters");
            }
        }
        return value;
    }
}
