package dev.switchboard.sessions.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;
import dev.switchboard.sessions.internal.SessionsCommands;

@Service
@Command(scope = "switchboard", name = "sessions",
        description = "Lists an order's sessions: side, connection, client address, times, bytes and seconds.")
public class SessionsAction implements Action {

    @Reference
    private SessionsCommands commands;

    @Argument(name = "order", description = "the order's id", required = true)
    @Completion(OrderCompleter.class)
    private String order;

    @Override
    public Object execute() {
        CommandOutput.print(commands.sessions(order));
        return null;
    }
}
