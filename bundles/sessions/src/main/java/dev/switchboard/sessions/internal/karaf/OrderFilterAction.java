package dev.switchboard.sessions.internal.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import dev.switchboard.sessions.internal.SessionsCommands;

/** What the commands listing orders share: the service and the filter arguments. */
abstract class OrderFilterAction implements Action {

    @Reference
    SessionsCommands commands;

    @Argument(name = "filter", multiValued = true,
            description = "a product id and/or a status (pending, activating, active, suspending, suspended,"
                    + " terminating, terminated); none: every order")
    @Completion(FilterCompleter.class)
    private List<String> filters;

    String[] filters() {
        return filters == null ? new String[0] : filters.toArray(String[]::new);
    }
}
