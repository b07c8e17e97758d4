package dev.switchboard.securityagent.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;
import dev.switchboard.securityagent.internal.TokenCommands;

@Service
@Command(scope = "switchboard", name = "revoke", description = "Revokes a token by its jti.")
public class RevokeAction implements Action {

    @Reference
    private TokenCommands commands;

    @Argument(name = "jti", description = "the token's jti claim", required = true)
    private String jti;

    @Override
    public Object execute() throws Exception {
        CommandOutput.print(commands.revoke(jti));
        return null;
    }
}
