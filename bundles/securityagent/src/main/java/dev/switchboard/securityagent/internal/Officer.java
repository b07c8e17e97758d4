package dev.switchboard.securityagent.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.config.LogThrottle;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.security.Call;
import dev.switchboard.api.security.Decision;

/**
 * Decides a call: discovery ({@code Controller.exists} and this agent's {@code versions},
 * {@code exists} and {@code validate}) is always allowed, so clients can find the host and check
 * their token; anything else needs a valid token, whose url's origin the ACL is applied to. Why a
 * token was refused is logged at INFO once an hour per client and kind of reason, so that an
 * operator can tell why a client fails without a client filling the log.
 */
final class Officer {

    private static final Logger LOG = LoggerFactory.getLogger(Officer.class);
    private static final Set<String> OWN_OPEN_METHODS = Set.of("versions", "exists", "validate");
    private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofHours(1);

    private final String callsign;
    private final TokenService tokens;
    private final Supplier<Acl> acl;
    /** Token refusals logged, by client and kind of reason. */
    private final LogThrottle refusals = new LogThrottle(REFUSAL_LOG_INTERVAL, 10_000, 1000);

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
                refused(call, validation);
                return Decision.UNAUTHENTICATED;
            }
            return acl.get().allows(validation.claims().origin(), call.callsign(), call.method())
                    ? Decision.ALLOWED : Decision.DENIED;
        } catch (RuntimeException e) {
            LOG.warn("Denied {} after an unexpected failure", LogText.quote(call), e);
            return Decision.DENIED;
        }
    }

    private void refused(Call call, TokenValidation validation) {
        String client = call.remote() != null ? call.remote() : LogText.quote(call.origin());
        String kind = validation.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        String heldBack = refusals.admit(client + " " + validation.status());
        if (heldBack != null) {
            LOG.info("Refused the token of {} ({}): {}; it called {}, origin {}{}", client, kind,
                    LogText.quote(validation.reason()), LogText.quote(call.callsign() + "." + call.method()),
                    LogText.quote(call.origin()), heldBack);
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
