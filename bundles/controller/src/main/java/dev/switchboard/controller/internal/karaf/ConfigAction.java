package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;
import dev.switchboard.controller.internal.PluginCommands;

@Service
@Command(scope = "switchboard", name = "config",
        description = "Shows a plugin's own configuration, or sets one key of it (applied live).")
public class ConfigAction implements Action {

    @Reference
    private PluginCommands commands;

    @Argument(index = 0, name = "callsign", description = "the plugin's callsign", required = true)
    @Completion(CallsignCompleter.class)
    private String callsign;

    @Argument(index = 1, name = "key", description = "the key to set; without it the configuration is shown")
    private String key;

    @Argument(index = 2, name = "value",
            description = "the key's new value; true, false and whole numbers are stored typed")
    private String value;

    @Override
    public Object execute() throws Exception {
        if (key == null) {
            CommandOutput.print(commands.config(callsign));
        } else if (value == null) {
            CommandOutput.print("error: " + key + " needs a value");
        } else {
            CommandOutput.print(commands.config(callsign, key, value));
        }
        return null;
    }
}
