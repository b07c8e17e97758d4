package dev.switchboard.rpc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.security.Call;
import dev.switchboard.api.security.Decision;
import dev.switchboard.api.security.SecurityOfficer;

/**
 * Asks the security officer about every call. With enforcement on and no officer present it
 * fails closed: only {@code Controller.1.exists} answers, so a client can tell the host is up.
 */
final class Enforcement {

    private static final Logger LOG = LoggerFactory.getLogger(Enforcement.class);

    private volatile boolean enforce = true;
    private volatile SecurityOfficer officer;

    void enforce(boolean on) {
        enforce = on;
    }

    void officer(SecurityOfficer officer) {
        this.officer = officer;
    }

    Decision decide(String token, Call call) {
        if (!enforce) {
            return Decision.ALLOWED;
        }
        SecurityOfficer current = officer;
        if (current == null) {
            return isDiscovery(call) ? Decision.ALLOWED : Decision.UNAUTHENTICATED;
        }
        try {
            Decision decision = current.decide(token, call);
            return decision == null ? Decision.DENIED : decision;
        } catch (RuntimeException e) {
            LOG.error("Security officer failed on {}; denying the call", LogText.quote(call), e);
            return Decision.DENIED;
        }
    }

    /** Whether this call is allowed, as {@link #decide} answers it. */
    boolean allows(String token, Call call) {
        return decide(token, call) == Decision.ALLOWED;
    }

    /**
     * Whether a token is present but not valid, asked of the officer on a call the token would
     * make; false when no officer is there to judge it (its calls still fail closed one by one).
     */
    boolean refusesToken(String token, Call call) {
        return token != null && enforce && officer != null && decide(token, call) == Decision.UNAUTHENTICATED;
    }

    private static boolean isDiscovery(Call call) {
        return PluginConstants.CONTROLLER.equals(call.callsign()) && call.version() <= 1 && "exists".equals(call.method());
    }
}
