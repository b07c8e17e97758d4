package dev.switchboard.sessions.api;

import java.util.Map;

/** A product: one service sold (agent side) or consumed (client side). */
public record Product(String id, String name, String offerTemplate, String accessTemplate, boolean agent,
        String usageReporting, String serviceEndpoint, Map<String, String> config) {
}
