package dev.switchboard.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * What the framework does at start, with the time since the JVM started: one line per bundle installed,
 * resolved and started (with how long its activator took), per component service registered, and per launcher
 * step. Written as it happens, so that a profile of a start that hangs still shows where.
 */
final class StartupProfile {

    private final Writer out;
    private final Map<Long, Long> starting = new ConcurrentHashMap<>();

    StartupProfile(Path file) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    void mark(String step) {
        line("launcher " + step);
    }

    void listen(BundleContext context) {
        context.addBundleListener((SynchronousBundleListener) this::bundleChanged);
        context.addServiceListener(this::serviceChanged);
    }

    private void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.INSTALLED -> line("bundle " + bundle.getSymbolicName() + " installed");
            case BundleEvent.UPDATED -> line("bundle " + bundle.getSymbolicName() + " updated");
            case BundleEvent.RESOLVED -> line("bundle " + bundle.getSymbolicName() + " resolved");
            case BundleEvent.STARTING -> starting.put(bundle.getBundleId(), System.nanoTime());
            case BundleEvent.STARTED -> {
                Long since = starting.remove(bundle.getBundleId());
                long took = since == null ? 0 : (System.nanoTime() - since) / 1_000_000;
                line("bundle " + bundle.getSymbolicName() + " started in " + took + " ms");
            }
            default -> {
                // stops and uninstalls are not part of a start
            }
        }
    }

    private void serviceChanged(ServiceEvent event) {
        Object component = event.getServiceReference().getProperty("component.name");
        if (event.getType() == ServiceEvent.REGISTERED && component != null) {
            line("component " + component + " registered");
        }
    }

    private synchronized void line(String what) {
        try {
            out.write(ManagementFactory.getRuntimeMXBean().getUptime() + " " + what + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
