package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.controller.internal.PluginCommands;

@Service
@Command(scope = "switchboard", name = "activate", description = "Activates a plugin, as Controller.1.activate does.")
public class ActivateAction implements Action {

    @Reference
    private PluginCommands commands;

    @Argument(name = "callsign", description = "the plugin's callsign", required = true)
    @Completion(CallsignCompleter.class)
    private String callsign;

    @Override
    public Object execute() {
        return commands.activate(callsign);
    }
}
