package dev.switchboard.securityagent.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ACL in force up to date with its files: polls them, compiles a changed set and
 * switches to it; a set that does not compile is logged and the last good ACL stays. Without any
 * ACL file the built-in deny-all ACL applies.
 */
final class AclWatcher implements Supplier<Acl> {

    private static final Logger LOG = LoggerFactory.getLogger(AclWatcher.class);

    private final AclFiles files;
    private volatile Acl current = Acl.denyAll();
    private String fingerprint;
    private boolean loaded;
    private ScheduledFuture<?> task;

    AclWatcher(AclFiles files) {
        this.files = files;
    }

    @Override
    public Acl get() {
        return current;
    }

    /** Loads the files now, then again every {@code period} when they changed. */
    synchronized void start(ScheduledExecutorService executor, Duration period) {
        check();
        task = executor.scheduleWithFixedDelay(this::checkQuietly, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /**
     * Reads the files and switches to them if they changed and compile.
     *
     * @return whether a new ACL is in force
     */
    synchronized boolean check() {
        AclFiles.Snapshot snapshot;
        try {
            snapshot = files.read();
        } catch (IOException e) {
            String reason = "cannot read " + files.describe() + ": " + e;
            if (!reason.equals(fingerprint)) {
                fingerprint = reason;
                LOG.warn("ACL rejected, keeping the previous one: {}", reason);
            }
            return false;
        }
        if (snapshot.fingerprint().equals(fingerprint)) {
            return false;
        }
        fingerprint = snapshot.fingerprint();
        if (snapshot.sources().isEmpty()) {
            current = Acl.denyAll();
            LOG.info("No ACL file at {}; everything but discovery is denied", files.describe());
            loaded = true;
            return true;
        }
        try {
            Acl acl = AclCompiler.compile(snapshot.sources());
            current = acl;
            LOG.info("ACL {} from {}", loaded ? "reloaded" : "loaded", acl.source());
            loaded = true;
            return true;
        } catch (AclException e) {
            LOG.warn("ACL rejected, keeping the previous one: {}", e.getMessage());
            return false;
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("ACL check failed", e);
        }
    }
}
