package dev.switchboard.sessions.internal.karaf;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.internal.SessionsCommands;

/** Completes the filters of orders and usage: the statuses and the ids of products that have orders. */
@Service
public class FilterCompleter implements Completer {

    @Reference
    private SessionsCommands commands;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> filters = new ArrayList<>();
        for (ServiceStatus status : ServiceStatus.values()) {
            filters.add(status.wire());
        }
        filters.addAll(commands.productIds());
        return new StringsCompleter(filters).complete(session, commandLine, candidates);
    }
}
