package dev.switchboard.console.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;

import dev.switchboard.api.security.TokenIssuer;
import dev.switchboard.api.shell.GogoCommands;

/**
 * {@code switchboard:console [read-only]}: issues a token for the console's role and prints the
 * console's address with the token in the fragment, which the browser never sends to the host.
 */
@Component(service = ConsoleCommand.class, immediate = true)
public class ConsoleCommand {

    /** Where the console is served: the Controller's web UI. */
    public static final String PATH = "/Service/Controller/UI/";

    /** Token URLs the default ACL gives the console's roles: all an operator does, and reading only. */
    public static final String OPERATOR = "console://operator";
    public static final String VIEWER = "console://viewer";

    private final TokenIssuer issuer;
    private final ServiceRegistration<?> gogo;

    private volatile HttpServiceRuntime http;
    private volatile String endpoint;

    @Activate
    public ConsoleCommand(@Reference TokenIssuer issuer, BundleContext context) {
        this.issuer = issuer;
        this.gogo = GogoCommands.register(context, this, "console");
    }

    @Deactivate
    void deactivate() {
        if (gogo != null) {
            gogo.unregister();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindHttp")
    void bindHttp(HttpServiceRuntime runtime, java.util.Map<String, Object> properties) {
        this.http = runtime;
        this.endpoint = firstEndpoint(properties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT));
    }

    void unbindHttp(HttpServiceRuntime runtime) {
        if (http == runtime) {
            http = null;
            endpoint = null;
        }
    }

    public String console() {
        return console("");
    }

    /** The console's address with a new token; {@code read-only} for the role that may only read. */
    public String console(String mode) {
        boolean readOnly = "read-only".equals(mode) || "--read-only".equals(mode);
        if (!readOnly && !mode.isEmpty()) {
            return "error: the only option is --read-only";
        }
        String base = endpoint;
        if (base == null) {
            return "error: HTTP is not running";
        }
        try {
            return url(base, issuer.issue(readOnly ? VIEWER : OPERATOR));
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    /** {@code http://host:port} + the console's path + {@code #token=<token>}. */
    static String url(String endpoint, String token) {
        String root = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return root + PATH + "#token=" + token;
    }

    static String firstEndpoint(Object property) {
        if (property instanceof String[] list) {
            return list.length == 0 ? null : list[0];
        }
        if (property instanceof java.util.Collection<?> list) {
            return list.isEmpty() ? null : String.valueOf(list.iterator().next());
        }
        return property == null ? null : String.valueOf(property);
    }
}
