package dev.switchboard.sessions.internal.karaf;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.switchboard.api.shell.CommandOutput;

@Service
@Command(scope = "switchboard", name = "orders",
        description = "Lists orders: id, product, client key, status, deposit, payments, cost, creation time.")
public class OrdersAction extends OrderFilterAction {

    @Override
    public Object execute() {
        CommandOutput.print(commands.orders(filters()));
        return null;
    }
}
