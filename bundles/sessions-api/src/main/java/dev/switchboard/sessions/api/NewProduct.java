package dev.switchboard.sessions.api;

import java.util.Map;

/**
 * What the operator gives to create a product.
 *
 * @param name            a label
 * @param offerTemplate   id of an {@link TemplateKind#OFFER} template
 * @param accessTemplate  id of an {@link TemplateKind#ACCESS} template
 * @param agent           {@code true} for the agent (selling) side, {@code false} for a client-side product
 * @param serviceEndpoint the address clients connect to, put in the access message
 * @param config          initial product configuration (the adapter may replace it)
 */
public record NewProduct(String name, String offerTemplate, String accessTemplate, boolean agent,
        String serviceEndpoint, Map<String, String> config) {
}
