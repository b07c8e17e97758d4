package dev.switchboard.api.plugin;

/** Names shared by plugins, the transport and the Controller. */
public final class PluginConstants {

    /** Service property naming the plugin instance; also the factory configuration's name. */
    public static final String CALLSIGN = "callsign";

    /** Configuration property: the state a plugin is brought to when the host starts. */
    public static final String STARTMODE = "startmode";

    /**
     * Configuration property, Thunder's {@code webui}: the folder of static files served as the
     * plugin's web UI on {@code /Service/<Callsign>/UI/}; a relative path is relative to
     * {@code switchboard.home}.
     */
    public static final String WEBUI = "webui";

    /** Every plugin kind's factory PID is this prefix plus the kind, e.g. {@code dev.switchboard.deviceinfo}. */
    public static final String FACTORY_PID_PREFIX = "dev.switchboard.";

    /** Callsign of the Controller, which also answers designators without a callsign. */
    public static final String CONTROLLER = "Controller";

    private PluginConstants() {
    }
}
