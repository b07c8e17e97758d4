package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "switchboard", name = "deactivate",
        description = "Deactivates a plugin, as Controller.1.deactivate does.")
public class DeactivateAction extends CallsignAction {

    @Override
    public Object execute() {
        return commands.deactivate(callsign);
    }
}
