package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "switchboard", name = "activate", description = "Activates a plugin, as Controller.1.activate does.")
public class ActivateAction extends CallsignAction {

    @Override
    public Object execute() {
        return commands.activate(callsign);
    }
}
