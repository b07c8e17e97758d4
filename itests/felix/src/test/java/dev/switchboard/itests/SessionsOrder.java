package dev.switchboard.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an operator does over JSON-RPC before an adapter can work: register templates, create a
 * proxy product and a bytes offering, place one order.
 *
 * @param agent the parameters an agent adapter sends with every call (product, credential, client key)
 */
record SessionsOrder(String order, String password, JsonNode accessMessage, ObjectNode agent) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Calls {@code Sessions.1.<method>}. */
    interface Sessions {
        JsonRpcClient.Reply call(String method, JsonNode params) throws Exception;
    }

    /** A product and the credential its agent adapter authenticates with. */
    record Product(String id, String credential) {
    }

    /** An order whose deposit and unpaid lag are large enough to stay active through many reports. */
    static SessionsOrder place(Sessions sessions) throws Exception {
        Product product = createProduct(sessions, "proxy", "proxy.example:1080");
        String offering = createOffering(sessions, product, 1_000_000);
        return place(sessions, product, offering, 1_000_000);
    }

    /** Registers an offer and an access template (the latter requires the credentials) and creates an agent product. */
    static Product createProduct(Sessions sessions, String name, String serviceEndpoint) throws Exception {
        return createProduct(sessions, name, serviceEndpoint, true);
    }

    /**
     * As {@link #createProduct(Sessions, String, String)}, on the agent side or on the client side, where
     * access messages of the agent's product are imported: the same schema gives the same template id.
     */
    static Product createProduct(Sessions sessions, String name, String serviceEndpoint, boolean agent)
            throws Exception {
        String offerTemplate = sessions.call("registerTemplate", JSON.createObjectNode().put("kind", "OFFER")
                .set("schema", JSON.readTree("{\"type\":\"object\"}"))).result().get("id").asText();
        String accessTemplate = sessions.call("registerTemplate", JSON.createObjectNode().put("kind", "ACCESS")
                .set("schema", JSON.readTree("{\"type\":\"object\",\"required\":[\"username\",\"password\"]}")))
                .result().get("id").asText();
        JsonNode created = sessions.call("createProduct", JSON.createObjectNode().put("name", name)
                .put("offerTemplate", offerTemplate).put("accessTemplate", accessTemplate).put("agent", agent)
                .put("serviceEndpoint", serviceEndpoint)).result();
        return new Product(created.get("product").get("id").asText(), created.get("credential").asText());
    }

    /**
     * An offering of the product priced by the byte (one unit a byte, price 1), no setup price and no
     * limits but {@code maxBillingUnitLag}, the bytes a client may use beyond what it paid.
     */
    static String createOffering(Sessions sessions, Product product, long maxBillingUnitLag) throws Exception {
        ObjectNode terms = JSON.createObjectNode().put("product", product.id()).put("name", "bytes")
                .put("unitType", "BYTES").put("unitSize", 1).put("unitPrice", 1).put("setupPrice", 0)
                .put("minUnits", 0).put("maxUnits", 0).put("billingInterval", 100)
                .put("maxBillingUnitLag", maxBillingUnitLag).put("maxInactiveSeconds", 0)
                .put("maxSuspendedSeconds", 0).put("supply", 0);
        return sessions.call("createOffering", terms).result().get("id").asText();
    }

    /** Places an order of {@code offering}; the billing monitor terminates it once it cost {@code deposit}. */
    static SessionsOrder place(Sessions sessions, Product product, String offering, long deposit) throws Exception {
        JsonNode placed = sessions.call("placeOrder",
                JSON.createObjectNode().put("offering", offering).put("deposit", deposit)).result();
        ObjectNode agent = JSON.createObjectNode().put("product", product.id())
                .put("credential", product.credential())
                .put("clientKey", placed.get("order").get("clientKey").asText());
        return new SessionsOrder(placed.get("order").get("id").asText(), placed.get("password").asText(),
                placed.get("accessMessage"), agent);
    }

    /** The order's client key: the user name towards the agent's proxy. */
    String clientKey() {
        return agent.get("clientKey").asText();
    }
}
