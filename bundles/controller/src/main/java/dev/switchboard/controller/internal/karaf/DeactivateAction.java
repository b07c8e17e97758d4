package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;

@Service
@Command(scope = "switchboard", name = "deactivate",
        description = "Deactivates a plugin, as Controller.1.deactivate does.")
public class DeactivateAction extends CallsignAction {

    @Override
    public Object execute() {
        CommandOutput.print(commands.deactivate(callsign));
        return null;
    }
}
