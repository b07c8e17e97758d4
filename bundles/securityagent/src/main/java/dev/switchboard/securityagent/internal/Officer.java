package dev.switchboard.securityagent.internal;

import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.security.Call;
import dev.switchboard.api.security.Decision;

/**
 * Decides a call: discovery ({@code Controller.exists} and this agent's {@code versions},
 * {@code exists} and {@code validate}) is always allowed, so clients can find the host and check
 * their token; anything else needs a valid token, whose url's origin the ACL is applied to.
 */
final class Officer {

    private static final Logger LOG = LoggerFactory.getLogger(Officer.class);
    private static final Set<String> OWN_OPEN_METHODS = Set.of("versions", "exists", "validate");

    private final String callsign;
    private final TokenService tokens;
    private final Supplier<Acl> acl;

    Officer(String callsign, TokenService tokens, Supplier<Acl> acl) {
        this.callsign = callsign;
        this.tokens = tokens;
        this.acl = acl;
    }

    /** Never throws: anything unexpected is logged and denied. */
    Decision decide(String token, Call call) {
        try {
            if (call == null) {
                return Decision.DENIED;
            }
            if (isOpen(call)) {
                return Decision.ALLOWED;
            }
            if (token == null || token.isEmpty()) {
                return Decision.UNAUTHENTICATED;
            }
            TokenValidation validation = tokens.validate(token);
            if (!validation.isValid()) {
                LOG.debug("Refused a token for {}.{}: {}", call.callsign(), call.method(), validation.reason());
                return Decision.UNAUTHENTICATED;
            }
            return acl.get().allows(validation.claims().origin(), call.callsign(), call.method())
                    ? Decision.ALLOWED : Decision.DENIED;
        } catch (RuntimeException e) {
            LOG.warn("Denied {} after an unexpected failure", call, e);
            return Decision.DENIED;
        }
    }

    private boolean isOpen(Call call) {
        if (PluginConstants.CONTROLLER.equals(call.callsign())) {
            return "exists".equals(call.method());
        }
        return callsign.equals(call.callsign()) && (call.version() == 0 || call.version() == 1)
                && OWN_OPEN_METHODS.contains(call.method());
    }
}
