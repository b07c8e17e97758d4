package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;
import dev.switchboard.controller.internal.PluginCommands;

@Service
@Command(scope = "switchboard", name = "plugins",
        description = "Lists every configured plugin: callsign, state (with the reason when not activated), startmode, class.")
public class PluginsAction implements Action {

    @Reference
    private PluginCommands commands;

    @Override
    public Object execute() {
        CommandOutput.print(commands.plugins());
        return null;
    }
}
