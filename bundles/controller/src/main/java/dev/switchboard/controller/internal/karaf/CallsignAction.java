package dev.switchboard.controller.internal.karaf;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import dev.switchboard.controller.internal.PluginCommands;

/** What the commands on one plugin share: the service and the callsign argument. */
abstract class CallsignAction implements Action {

    @Reference
    PluginCommands commands;

    @Argument(name = "callsign", description = "the plugin's callsign", required = true)
    @Completion(CallsignCompleter.class)
    String callsign;
}
