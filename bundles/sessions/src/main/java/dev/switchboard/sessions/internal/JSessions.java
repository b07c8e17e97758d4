package dev.switchboard.sessions.internal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.Offering;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.Product;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Template;

/**
 * The Service API over JSON-RPC. Numbers that count money or usage are taken as JSON integers
 * only (no strings, no fractions); the product configuration only as an object of strings.
 * Agent methods carry the product id and its adapter credential (a 256-bit random secret, checked
 * with one SHA-256); client methods carry the client key and password.
 */
@JsonRpcInterface(name = "JSessions", major = 1)
public interface JSessions {

    // operator
    record TemplateParams(String kind, JsonNode schema) {
    }

    record ProductParams(String name, String offerTemplate, String accessTemplate, Boolean agent,
            String serviceEndpoint, JsonNode config) {
    }

    record Id(String id) {
    }

    record OrderParams(String offering, JsonNode deposit) {
    }

    record PaymentParams(String order, JsonNode amount) {
    }

    record OrderRef(String order) {
    }

    record OrdersQuery(String product, String status) {
    }

    record Status(String status) {
    }

    record Changed(int changed) {
    }

    @JsonRpcMethod
    Template registerTemplate(TemplateParams params);

    @JsonRpcMethod
    ProductCreated createProduct(ProductParams params);

    @JsonRpcMethod
    Product product(Id params);

    @JsonRpcMethod
    Offering createOffering(NewOffering params);

    @JsonRpcMethod
    PlacedOrder placeOrder(OrderParams params);

    /** {@code {"product": <client-side product>, "accessMessage": {...}}} */
    record ImportParams(String product, Map<String, Object> accessMessage) {
    }

    @JsonRpcMethod
    Order importAccess(ImportParams params);

    @JsonRpcMethod
    Order recordPayment(PaymentParams params);

    @JsonRpcMethod
    Order suspend(OrderRef params);

    @JsonRpcMethod
    Order resume(OrderRef params);

    @JsonRpcMethod
    Order terminate(OrderRef params);

    @JsonRpcMethod
    Order order(OrderRef params);

    @JsonRpcMethod
    List<Order> orders(OrdersQuery params);

    @JsonRpcMethod
    List<SessionInfo> sessions(OrderRef params);

    /** One billing pass now; answers how many orders changed status. */
    @JsonRpcMethod("runBilling")
    Changed runBillingPass();

    // agent
    record AuthParams(String product, String credential, String clientKey, String password) {
    }

    record ConfigParams(String product, String credential, JsonNode config) {
    }

    record StartParams(String product, String credential, String clientKey, String connection, String clientAddress) {
    }

    record UsageParams(String product, String credential, String clientKey, String connection, JsonNode bytesUp,
            JsonNode bytesDown) {
    }

    @JsonRpcMethod
    boolean authClient(AuthParams params);

    @JsonRpcMethod
    boolean setProductConfig(ConfigParams params);

    @JsonRpcMethod
    SessionInfo startSession(StartParams params);

    @JsonRpcMethod
    Status updateSession(UsageParams params);

    @JsonRpcMethod
    Status stopSession(UsageParams params);

    // client
    record ClientParams(String clientKey, String password) {
    }

    record ClientSessionParams(String clientKey, String password, String connection, JsonNode bytesUp,
            JsonNode bytesDown) {
    }

    @JsonRpcMethod
    Map<String, Object> getAccess(ClientParams params);

    @JsonRpcMethod
    SessionInfo clientStartSession(ClientSessionParams params);

    @JsonRpcMethod
    Status clientUpdateSession(ClientSessionParams params);

    @JsonRpcMethod
    Status clientStopSession(ClientSessionParams params);
}
