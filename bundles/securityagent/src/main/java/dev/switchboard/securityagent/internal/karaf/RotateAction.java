package dev.switchboard.securityagent.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;
import dev.switchboard.securityagent.internal.TokenCommands;

@Service
@Command(scope = "switchboard", name = "rotate",
        description = "Makes a new signing key; tokens signed with the old one stay valid until they expire.")
public class RotateAction implements Action {

    @Reference
    private TokenCommands commands;

    @Override
    public Object execute() throws Exception {
        CommandOutput.print(commands.rotate());
        return null;
    }
}
