package dev.switchboard.sessions.api;

import java.util.Map;

/**
 * A new order with the client's password (shown once, only a salted slow hash is stored) and the
 * access message, already validated against the product's access template.
 */
public record PlacedOrder(Order order, String password, Map<String, Object> accessMessage) {
}
