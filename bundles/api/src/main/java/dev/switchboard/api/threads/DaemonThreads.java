package dev.switchboard.api.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for a bundle's executors. Their threads are daemons, so that a thread a bundle
 * failed to stop never keeps the JVM from exiting, and named, so that a thread dump says whose they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Daemon threads all named {@code name}: for an executor of one thread at a time. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(runnable, name);
    }

    /** Daemon threads named {@code prefix} followed by 1, 2, 3 and on. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger started = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + started.incrementAndGet());
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
