package dev.switchboard.console.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;
import dev.switchboard.console.internal.ConsoleCommand;

@Service
@Command(scope = "switchboard", name = "console",
        description = "Prints the operator console's address with a new token; open it in a browser.")
public class ConsoleAction implements Action {

    @Reference
    private ConsoleCommand commands;

    @Option(name = "--read-only", description = "a token for the role that may only read")
    private boolean readOnly;

    @Override
    public Object execute() {
        CommandOutput.print(commands.console(readOnly ? "read-only" : ""));
        return null;
    }
}
