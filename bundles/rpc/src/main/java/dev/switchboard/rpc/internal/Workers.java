package dev.switchboard.rpc.internal;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

import dev.switchboard.api.config.Settings;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * The threads that run plugin calls. Waiting calls are taken lightest client first (the fewest
 * calls in progress when the call was admitted), then in arrival order, so that a caller with one
 * call is not queued behind another client's batches; and calls of light clients have threads of
 * their own besides, so that they do not wait for one of the shared threads to finish a heavy
 * client's call. The queues need no bound of their own: the {@link CallBudget} bounds the calls
 * admitted. Sized by the transport's configuration ({@code workerThreads}, and {@code maxCallsPerClient}
 * for who is light); the transport logs what it refuses of that configuration.
 */
@Component(service = Workers.class, configurationPid = JsonRpcServlet.PID)
public final class Workers implements Executor {

    /** Threads kept for light clients' calls, beside the shared ones. */
    static final int LIGHT_THREADS = 2;

    private static final AtomicLong ARRIVALS = new AtomicLong();

    private final ThreadPoolExecutor shared;
    private final ThreadPoolExecutor light;
    private volatile int lightLoad;
    private TransportSettings settings = TransportSettings.DEFAULTS;

    @Activate
    public Workers(Map<String, Object> properties) {
        this(TransportSettings.DEFAULTS.workerThreads(), CallBudget.lightCalls(TransportSettings.DEFAULTS.maxCallsPerClient()));
        modified(properties);
    }

    /**
     * @param threads   threads shared by every call
     * @param lightLoad a call whose client had at most this many calls in progress is light
     */
    Workers(int threads, int lightLoad) {
        this.shared = pool(threads, "switchboard-rpc-");
        this.light = pool(LIGHT_THREADS, "switchboard-rpc-light-");
        this.lightLoad = lightLoad;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        settings = TransportSettings.read(new Settings(JsonRpcServlet.PID, properties), properties, settings);
        resize(settings.workerThreads(), CallBudget.lightCalls(settings.maxCallsPerClient()));
    }

    /**
     * Applies new settings in place: a call submitted while the configuration changes still finds
     * a pool that takes it, which replacing the pools could not promise.
     */
    void resize(int threads, int lightLoad) {
        this.lightLoad = lightLoad;
        // the core size may never exceed the maximum, so the order depends on the direction
        if (threads > shared.getMaximumPoolSize()) {
            shared.setMaximumPoolSize(threads);
            shared.setCorePoolSize(threads);
        } else {
            shared.setCorePoolSize(threads);
            shared.setMaximumPoolSize(threads);
        }
    }

    private static ThreadPoolExecutor pool(int threads, String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(), DaemonThreads.numbered(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A light client's call runs on whichever of its own threads or the shared ones is free first. */
    @Override
    public void execute(Runnable command) {
        if (command instanceof Task task && task.load() <= lightLoad && light.getActiveCount() < LIGHT_THREADS) {
            light.execute(command);
        } else {
            shared.execute(command);
        }
    }

    @Deactivate
    void shutdownNow() {
        shared.shutdownNow();
        light.shutdownNow();
    }

    /** {@code work} as a task ordered by the load of its client, then by arrival. */
    static Runnable task(int load, Runnable work) {
        return new Task(load, ARRIVALS.incrementAndGet(), work);
    }

    private record Task(int load, long arrival, Runnable work) implements Runnable, Comparable<Task> {
        @Override
        public void run() {
            work.run();
        }

        @Override
        public int compareTo(Task other) {
            int byLoad = Integer.compare(load, other.load);
            return byLoad != 0 ? byLoad : Long.compare(arrival, other.arrival);
        }
    }
}
