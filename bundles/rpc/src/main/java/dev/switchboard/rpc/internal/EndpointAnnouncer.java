package dev.switchboard.rpc.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says where JSON-RPC is served, once the HTTP runtime knows its address. */
@Component
public class EndpointAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointAnnouncer.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindHttpServiceRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        Object endpoints = properties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT);
        Object[] all = endpoints instanceof Object[] array ? array
                : endpoints instanceof java.util.Collection<?> c ? c.toArray() : new Object[] { endpoints };
        for (Object endpoint : all) {
            if (endpoint != null) {
                String base = endpoint.toString();
                LOG.info("Switchboard JSON-RPC at {}jsonrpc", base.endsWith("/") ? base : base + "/");
            }
        }
    }

    void unbindHttpServiceRuntime(HttpServiceRuntime runtime) {
        // nothing to undo: the announcement is a log line
    }
}
