package dev.switchboard.api.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plugin that can be suspended and resumed while it stays activated, as Thunder's {@code IStateControl}:
 * the Controller's {@code suspend} and {@code resume} reach it and announce the change as
 * {@code statecontrolstatechange}. The Controller answers other plugins -31044 (not supported).
 */
@ConsumerType
public interface StateControl {

    /** Stops the plugin's work while it keeps its state; suspending a suspended plugin does nothing. */
    void suspend();

    /** Takes the work up again; resuming a running plugin does nothing. */
    void resume();

    boolean isSuspended();
}
