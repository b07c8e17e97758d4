package dev.switchboard.sessions.internal.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.switchboard.sessions.internal.SessionsCommands;

/** Completes order ids. */
@Service
public class OrderCompleter implements Completer {

    @Reference
    private SessionsCommands commands;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(commands.orderIds()).complete(session, commandLine, candidates);
    }
}
