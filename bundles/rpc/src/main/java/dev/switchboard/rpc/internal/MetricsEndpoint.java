package dev.switchboard.rpc.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import jakarta.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.Settings;

/**
 * Registers the {@code /metrics} servlet on the Servlet Whiteboard while the transport's
 * configuration ({@code metricsEndpoint}, default true) says so. It is served without a token,
 * on the address HTTP listens on (loopback by default).
 */
@Component(configurationPid = JsonRpcServlet.PID, immediate = true)
public class MetricsEndpoint {

    static final String PATH = "/metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final BundleContext context;
    private final Metrics metrics;
    private ServiceRegistration<Servlet> registration;

    @Activate
    public MetricsEndpoint(BundleContext context, @Reference Metrics metrics, Map<String, Object> configuration) {
        this.context = context;
        this.metrics = metrics;
        modified(configuration);
    }

    /** Reads {@code metricsEndpoint} only; the transport reads, and reports on, the rest of the configuration. */
    @Modified
    synchronized void modified(Map<String, Object> configuration) {
        Settings settings = new Settings(JsonRpcServlet.PID, configuration);
        // absent: the default (served); refused: as it is
        boolean serve = settings.flag("metricsEndpoint", !configuration.containsKey("metricsEndpoint") || registration != null);
        settings.rejections().forEach(LOG::error);
        if (serve && registration == null) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, PATH);
            properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "switchboard-metrics");
            registration = context.registerService(Servlet.class, new MetricsServlet(metrics), properties);
            LOG.info("Request metrics served on GET {}", PATH);
        } else if (!serve && registration != null) {
            withdraw();
            LOG.info("Request metrics no longer served on {}", PATH);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            withdraw();
        }
    }

    private void withdraw() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
        registration = null;
    }
}
