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

    /** An order whose deposit and unpaid lag are large enough to stay active through many reports. */
    static SessionsOrder place(Sessions sessions) throws Exception {
        String offerTemplate = sessions.call("registerTemplate", JSON.createObjectNode().put("kind", "OFFER")
                .set("schema", JSON.readTree("{\"type\":\"object\"}"))).result().get("id").asText();
        String accessTemplate = sessions.call("registerTemplate", JSON.createObjectNode().put("kind", "ACCESS")
                .set("schema", JSON.readTree("{\"type\":\"object\",\"required\":[\"username\",\"password\"]}")))
                .result().get("id").asText();
        JsonNode created = sessions.call("createProduct", JSON.createObjectNode().put("name", "proxy")
                .put("offerTemplate", offerTemplate).put("accessTemplate", accessTemplate).put("agent", true)
                .put("serviceEndpoint", "proxy.example:1080")).result();
        String product = created.get("product").get("id").asText();
        ObjectNode terms = JSON.createObjectNode().put("product", product).put("name", "bytes").put("unitType", "BYTES")
                .put("unitSize", 1).put("unitPrice", 1).put("setupPrice", 0).put("minUnits", 0).put("maxUnits", 0)
                .put("billingInterval", 100).put("maxBillingUnitLag", 1_000_000).put("maxInactiveSeconds", 0)
                .put("maxSuspendedSeconds", 0).put("supply", 0);
        String offering = sessions.call("createOffering", terms).result().get("id").asText();
        JsonNode placed = sessions.call("placeOrder",
                JSON.createObjectNode().put("offering", offering).put("deposit", 1_000_000)).result();
        ObjectNode agent = JSON.createObjectNode().put("product", product)
                .put("credential", created.get("credential").asText())
                .put("clientKey", placed.get("order").get("clientKey").asText());
        return new SessionsOrder(placed.get("order").get("id").asText(), placed.get("password").asText(),
                placed.get("accessMessage"), agent);
    }
}
