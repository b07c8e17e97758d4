package dev.switchboard.adapter.openvpn.internal.process;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;

/** Why an adapter is deactivated, as far as the OpenVPN it runs is concerned. */
public final class Deactivation {

    private Deactivation() {
    }

    /**
     * Whether OpenVPN should outlive the adapter: its bundle is stopped for an update (deploy/ or
     * {@code bundle:update}) while the framework runs on. A removed configuration or a host shutting down stops it.
     *
     * @param reason the {@code ComponentConstants.DEACTIVATION_REASON_*} SCR passed
     */
    public static boolean isBundleUpdate(int reason, BundleContext context) {
        return reason == ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED
                && context.getBundle(0).getState() == Bundle.ACTIVE;
    }
}
