package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;

@Service
@Command(scope = "switchboard", name = "activate", description = "Activates a plugin, as Controller.1.activate does.")
public class ActivateAction extends CallsignAction {

    @Override
    public Object execute() {
        CommandOutput.print(commands.activate(callsign));
        return null;
    }
}
