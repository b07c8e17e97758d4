package dev.switchboard.securityagent.internal;

import java.io.IOException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import dev.switchboard.api.shell.GogoCommands;

/**
 * Console commands: {@code switchboard:token <url or payload>} answers a new token,
 * {@code switchboard:revoke <jti>} revokes one, {@code switchboard:rotate} makes a new signing key.
 * They are Gogo commands, except in Karaf, where the actions in {@code internal.karaf} present them.
 */
@Component(service = TokenCommands.class, immediate = true)
public class TokenCommands {

    private final TokenAuthority authority;
    private final ServiceRegistration<?> gogo;

    @Activate
    public TokenCommands(@Reference TokenAuthority authority, BundleContext context) {
        this.authority = authority;
        this.gogo = GogoCommands.register(context, this, "token", "revoke", "rotate");
    }

    @Deactivate
    void deactivate() {
        if (gogo != null) {
            gogo.unregister();
        }
    }

    public String token(String payload) {
        try {
            return authority.issue(payload);
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    public String revoke(String jti) throws IOException {
        try {
            authority.revoke(jti);
            return "revoked " + jti;
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    public String rotate() throws IOException {
        return "new signing key " + authority.rotate();
    }
}
