package dev.switchboard.securityagent.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.config.LogThrottle;
import dev.switchboard.api.security.Call;
import dev.switchboard.api.security.Decision;

/**
 * Decides a call: a call that carries a token is refused unless the token is valid, whatever it calls, so
 * a client checking its token with a cheap call is told the truth; the configured open methods (by
 * default Thunder's {@code Controller.1.exists}) need no token; anything else needs a valid token, whose
 * url's origin the ACL is applied to. Why a
 * token was refused is logged at INFO once an hour per client and kind of reason, so that an
 * operator can tell why a client fails without a client filling the log.
 */
final class Officer {

    private static final Logger LOG = LoggerFactory.getLogger(Officer.class);
    private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofHours(1);

    private final OpenMethods open;
    private final TokenService tokens;
    private final Supplier<Acl> acl;
    /** Token refusals logged, by client and kind of reason. */
    private final LogThrottle refusals = new LogThrottle(REFUSAL_LOG_INTERVAL, 10_000, 1000);

    Officer(OpenMethods open, TokenService tokens, Supplier<Acl> acl) {
        this.open = open;
        this.tokens = tokens;
        this.acl = acl;
    }

    /** Never throws: anything unexpected is logged and denied. */
    Decision decide(String token, Call call) {
        try {
            if (call == null) {
                return Decision.DENIED;
            }
            if (token == null) {
                return open.contains(call) ? Decision.ALLOWED : Decision.UNAUTHENTICATED;
            }
            TokenValidation validation = tokens.validate(token);
            if (!validation.isValid()) {
                refused(call, validation);
                return Decision.UNAUTHENTICATED;
            }
            return open.contains(call) || acl.get().allows(validation.claims().origin(), call.callsign(), call.method())
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
}
