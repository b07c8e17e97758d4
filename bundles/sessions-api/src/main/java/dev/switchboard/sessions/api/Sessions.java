package dev.switchboard.sessions.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The session service. Every method throws {@link SessionsException} on bad
 * input, unknown keys, illegal transitions and an unavailable database.
 */
@ProviderType
public interface Sessions {

    Template registerTemplate(TemplateKind kind, String schemaJson);

    ProductCreated createProduct(NewProduct product);

    Product product(String id);

    Offering createOffering(NewOffering offering);

    /** Places an order; it starts {@link ServiceStatus#ACTIVATING}. */
    PlacedOrder placeOrder(String offering, long deposit);

    /**
     * On a client node: imports the access message an agent issued for an order, into the client-side
     * product whose access template it names ({@code templateHash}) and matches. The order is active
     * here at once and never billed here (the agent bills it); {@link #client} with its
     * {@code username} and {@code password} then gives the client adapter its face. Importing the
     * same client key into the same product again replaces the message (the agent moved, say).
     */
    Order importAccess(String product, Map<String, Object> accessMessage);

    /** Adds a payment the client made; answers the order after the billing rules ran. */
    Order recordPayment(String order, long amount);

    Order suspend(String order);

    Order resume(String order);

    Order terminate(String order);

    Order order(String id);

    /** Orders of a product (all products when {@code null}), optionally of one status. */
    List<Order> orders(String product, ServiceStatus status);

    List<SessionInfo> sessions(String order);

    /** The adapter face of a product; fails when the credential is wrong. */
    AgentApi agent(String product, String credential);

    /** The client face of an order; fails when the password is wrong. */
    ClientApi client(String clientKey, String password);

    /** One pass of the billing monitor (it also runs periodically); answers how many orders changed. */
    int runBilling();
}
