package dev.switchboard.sessions.internal.karaf;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;

@Service
@Command(scope = "switchboard", name = "usage",
        description = "Shows what orders used and cost: bytes up and down, seconds, billed units, cost.")
public class UsageAction extends OrderFilterAction {

    @Override
    public Object execute() {
        CommandOutput.print(commands.usage(filters()));
        return null;
    }
}
