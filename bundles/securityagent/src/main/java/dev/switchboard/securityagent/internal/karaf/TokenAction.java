package dev.switchboard.securityagent.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;
import dev.switchboard.securityagent.internal.TokenCommands;

@Service
@Command(scope = "switchboard", name = "token", description = "Prints a new token for an origin URL or a JSON payload.")
public class TokenAction implements Action {

    @Reference
    private TokenCommands commands;

    @Argument(name = "payload", description = "the origin URL the token is for (http://localhost), or a JSON payload",
            required = true)
    private String payload;

    @Override
    public Object execute() {
        CommandOutput.print(commands.token(payload));
        return null;
    }
}
