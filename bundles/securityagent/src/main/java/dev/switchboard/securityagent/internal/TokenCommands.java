package dev.switchboard.securityagent.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Console commands: {@code switchboard:token <url or payload>} prints a new token,
 * {@code switchboard:revoke <jti>} revokes one, {@code switchboard:rotate} makes a new signing key.
 */
@Component(service = TokenCommands.class, property = {
    "osgi.command.scope=switchboard",
    "osgi.command.function=token",
    "osgi.command.function=revoke",
    "osgi.command.function=rotate"
})
public class TokenCommands {

    private final TokenAuthority authority;

    @Activate
    public TokenCommands(@Reference TokenAuthority authority) {
        this.authority = authority;
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
