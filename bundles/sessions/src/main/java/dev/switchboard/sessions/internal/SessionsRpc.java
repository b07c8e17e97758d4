package dev.switchboard.sessions.internal;

import static dev.switchboard.sessions.internal.Inputs.bad;
import static dev.switchboard.sessions.internal.RpcErrors.answer;
import static dev.switchboard.sessions.internal.RpcParams.integer;
import static dev.switchboard.sessions.internal.RpcParams.need;
import static dev.switchboard.sessions.internal.RpcParams.stringMap;
import static dev.switchboard.sessions.internal.RpcParams.usage;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.Offering;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.Product;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.Template;
import dev.switchboard.sessions.api.TemplateKind;

/**
 * The JSON-RPC face of a {@link Sessions} service: binds each call's parameters, checked as
 * {@link RpcParams} says, to the service, and answers its {@link SessionsException}s as JSON-RPC
 * errors ({@link RpcErrors}).
 */
public abstract class SessionsRpc implements JSessions {

    /** The service the calls go to. */
    abstract Sessions sessions();

    @Override
    public Template registerTemplate(TemplateParams params) {
        return answer(() -> {
            need(params);
            TemplateKind kind;
            try {
                kind = TemplateKind.valueOf(String.valueOf(params.kind()).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad("kind must be OFFER or ACCESS");
            }
            if (params.schema() == null || !params.schema().isObject()) {
                throw new SessionsException(Reason.INVALID_SCHEMA, "schema must be a JSON object");
            }
            return sessions().registerTemplate(kind, params.schema().toString());
        });
    }

    @Override
    public ProductCreated createProduct(ProductParams params) {
        return answer(() -> {
            need(params);
            Map<String, String> config = params.config() == null || params.config().isNull() ? Map.of()
                    : stringMap(params.config());
            return sessions().createProduct(new NewProduct(params.name(), params.offerTemplate(),
                    params.accessTemplate(), params.agent() == null || params.agent(), params.serviceEndpoint(),
                    config));
        });
    }

    @Override
    public Product product(Id params) {
        return answer(() -> sessions().product(need(params).id()));
    }

    @Override
    public Offering createOffering(NewOffering params) {
        return answer(() -> sessions().createOffering(params));
    }

    @Override
    public PlacedOrder placeOrder(OrderParams params) {
        return answer(() -> sessions().placeOrder(need(params).offering(),
                integer(params.deposit(), "deposit", null)));
    }

    @Override
    public Order importAccess(ImportParams params) {
        return answer(() -> sessions().importAccess(need(params).product(), params.accessMessage()));
    }

    @Override
    public Order recordPayment(PaymentParams params) {
        return answer(() -> sessions().recordPayment(need(params).order(), integer(params.amount(), "amount", null)));
    }

    @Override
    public Order suspend(OrderRef params) {
        return answer(() -> sessions().suspend(need(params).order()));
    }

    @Override
    public Order resume(OrderRef params) {
        return answer(() -> sessions().resume(need(params).order()));
    }

    @Override
    public Order terminate(OrderRef params) {
        return answer(() -> sessions().terminate(need(params).order()));
    }

    @Override
    public Order order(OrderRef params) {
        return answer(() -> sessions().order(need(params).order()));
    }

    @Override
    public List<Order> orders(OrdersQuery params) {
        return answer(() -> {
            ServiceStatus status = null;
            if (params != null && params.status() != null) {
                try {
                    status = ServiceStatus.of(params.status());
                } catch (IllegalArgumentException e) {
                    throw bad("unknown status " + params.status());
                }
            }
            return sessions().orders(params == null ? null : params.product(), status);
        });
    }

    @Override
    public List<SessionInfo> sessions(OrderRef params) {
        return answer(() -> sessions().sessions(need(params).order()));
    }

    @Override
    public Changed runBillingPass() {
        return answer(() -> new Changed(sessions().runBilling()));
    }

    @Override
    public boolean authClient(AuthParams params) {
        return answer(() -> {
            agent(need(params).product(), params.credential()).authClient(params.clientKey(), params.password());
            return true;
        });
    }

    @Override
    public boolean setProductConfig(ConfigParams params) {
        return answer(() -> {
            AgentApi agent = agent(need(params).product(), params.credential());
            agent.setProductConfig(stringMap(params.config()));
            return true;
        });
    }

    @Override
    public SessionInfo startSession(StartParams params) {
        return answer(() -> agent(need(params).product(), params.credential())
                .startSession(params.clientKey(), params.connection(), params.clientAddress()));
    }

    @Override
    public Status updateSession(UsageParams params) {
        return answer(() -> {
            AgentApi agent = agent(need(params).product(), params.credential());
            return new Status(agent.updateSession(params.clientKey(), params.connection(),
                    usage(params.bytesUp(), params.bytesDown(), false)).wire());
        });
    }

    @Override
    public Status stopSession(UsageParams params) {
        return answer(() -> {
            AgentApi agent = agent(need(params).product(), params.credential());
            return new Status(agent.stopSession(params.clientKey(), params.connection(),
                    usage(params.bytesUp(), params.bytesDown(), true)).wire());
        });
    }

    @Override
    public Map<String, Object> getAccess(ClientParams params) {
        return answer(() -> client(need(params).clientKey(), params.password()).getAccess());
    }

    @Override
    public SessionInfo clientStartSession(ClientSessionParams params) {
        return answer(() -> client(need(params).clientKey(), params.password()).startSession(params.connection()));
    }

    @Override
    public Status clientUpdateSession(ClientSessionParams params) {
        return answer(() -> {
            ClientApi client = client(need(params).clientKey(), params.password());
            return new Status(client.updateSession(params.connection(),
                    usage(params.bytesUp(), params.bytesDown(), false)).wire());
        });
    }

    @Override
    public Status clientStopSession(ClientSessionParams params) {
        return answer(() -> {
            ClientApi client = client(need(params).clientKey(), params.password());
            return new Status(client.stopSession(params.connection(),
                    usage(params.bytesUp(), params.bytesDown(), true)).wire());
        });
    }

    private AgentApi agent(String product, String credential) {
        return sessions().agent(product, credential);
    }

    private ClientApi client(String clientKey, String password) {
        return sessions().client(clientKey, password);
    }
}
