package dev.switchboard.controller.internal.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.switchboard.controller.internal.PluginCommands;

/** Completes the callsigns of the configured plugins. */
@Service
public class CallsignCompleter implements Completer {

    @Reference
    private PluginCommands commands;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(commands.callsigns()).complete(session, commandLine, candidates);
    }
}
