package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.controller.internal.PluginCommands;

@Service
@Command(scope = "switchboard", name = "deactivate", description = "Deactivates a plugin, as Controller.1.deactivate does.")
public class DeactivateAction implements Action {

    @Reference
    private PluginCommands commands;

    @Argument(name = "callsign", description = "the plugin's callsign", required = true)
    @Completion(CallsignCompleter.class)
    private String callsign;

    @Override
    public Object execute() {
        return commands.deactivate(callsign);
    }
}
