package dev.switchboard.controller.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.files.Home;
import dev.switchboard.api.plugin.StartMode;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * Tells the user what the host is doing while it starts: a line when it starts (version, Java,
 * home) and a "ready" line once every configured plugin has reached its start state, with the time
 * since launch and each plugin that did not, and why. Says nothing when the framework was already
 * running (this bundle was updated or restarted).
 */
@Component(immediate = true)
public class StartupReport implements FrameworkListener {

    /**
     * A plugin kind no bundle provides yet may come from {@code deploy/}, whose bundles FileInstall
     * installs in the first seconds after the framework has started: only then is it reported missing.
     */
    static final Duration UNKNOWN_KIND_GRACE = Duration.ofSeconds(5);
    /** Plugins still waiting after this are reported as such, so that the ready line always comes. */
    static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);

    private final BundleContext context;
    private final PluginStates states;
    private final ThunderPluginImporter importer;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("switchboard-startup-report"));
    private volatile long startedNanos;

    @Activate
    public StartupReport(BundleContext context, @Reference PluginStates states,
            @Reference ThunderPluginImporter importer) {
        this.context = context;
        this.states = states;
        this.importer = importer;
        if (context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() != Bundle.ACTIVE) {
            LOG.info("Switchboard {} starting: Java {} ({}), home {}", version(context),
                    System.getProperty("java.version"), System.getProperty("java.vm.name"), home(context));
            context.addFrameworkListener(this);
        }
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(this);
        poller.shutdownNow();
    }

    /** The version the launcher passes (the project's), else this bundle's. */
    private static String version(BundleContext context) {
        String version = context.getProperty("switchboard.version");
        return version != null ? version : context.getBundle().getVersion().toString();
    }

    private static String home(BundleContext context) {
        return Home.of(context.getProperty(Home.PROPERTY)).toString();
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            context.removeFrameworkListener(this);
            startedNanos = System.nanoTime();
            poller.scheduleWithFixedDelay(this::check, 0, 250, TimeUnit.MILLISECONDS);
        }
    }

    private void check() {
        if (context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() != Bundle.ACTIVE) {
            poller.shutdown(); // stopping before it was ready: nothing to announce
            return;
        }
        try {
            Duration since = Duration.ofNanos(System.nanoTime() - startedNanos);
            boolean limitReached = since.compareTo(LIMIT) >= 0;
            if (!limitReached && !(states.etcFilesLoaded() && importer.scanned() && states.followedAll())) {
                return; // the configured plugins are not all known yet
            }
            String line = readyLine(states.status(null), since.compareTo(UNKNOWN_KIND_GRACE) >= 0,
                    limitReached, ManagementFactory.getRuntimeMXBean().getUptime());
            if (line != null) {
                LOG.info(line);
                poller.shutdown();
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the plugin states: {}", e.toString());
        }
    }

    /**
     * The ready line, or null while a plugin is still on its way to its start state.
     *
     * @param graceOver     whether a plugin kind no bundle provides counts as failed yet
     * @param limitReached  whether to stop waiting for plugins still on their way
     * @param uptimeMillis  time since launch
     */
    static String readyLine(List<JController.PluginStatus> plugins, boolean graceOver, boolean limitReached,
            long uptimeMillis) {
        int activated = 0;
        List<String> failed = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (JController.PluginStatus plugin : plugins) {
            String why = plugin.callsign() + " (" + (plugin.detail() == null ? plugin.reason()
                    : plugin.reason() + ": " + plugin.detail()) + ")";
            // a kind no bundle provides (no locator) may still come from deploy/; another holding the callsign will not
            boolean unknownKind = plugin.locator() == null;
            if (PluginStatusReader.ACTIVATED.equals(plugin.state())) {
                activated++;
            } else if (PluginStatusReader.INITIALIZATION_FAILED.equals(plugin.reason())
                    || PluginStatusReader.INSTANTIATION_FAILED.equals(plugin.reason()) && (!unknownKind || graceOver)) {
                failed.add(why);
            } else if (StartMode.Activated.name().equals(plugin.startmode())) {
                waiting.add(plugin.callsign() + " (" + plugin.state()
                        + (plugin.detail() == null ? "" : ": " + plugin.detail()) + ")");
            }
        }
        if (!waiting.isEmpty() && !limitReached) {
            return null;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Switchboard ready in %.1f s: %d of %d plugins activated",
                uptimeMillis / 1000.0, activated, plugins.size()));
        if (!failed.isEmpty()) {
            line.append("; failed: ").append(String.join(", ", failed));
        }
        if (!waiting.isEmpty()) {
            line.append("; still not running after ").append(LIMIT.toSeconds()).append(" s: ")
                    .append(String.join(", ", waiting));
        }
        return line.toString();
    }
}
