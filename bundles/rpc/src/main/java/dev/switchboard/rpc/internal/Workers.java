package dev.switchboard.rpc.internal;

import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads that run plugin calls. Waiting calls are taken lightest client first (the fewest
 * calls in progress when the call was admitted), then in arrival order, so that a caller with one
 * call is not queued behind another client's batches. The queue needs no bound of its own: the
 * {@link CallBudget} bounds the calls admitted.
 */
final class Workers {

    private static final AtomicLong ARRIVALS = new AtomicLong();

    private Workers() {
    }

    static ThreadPoolExecutor start(int threads) {
        AtomicInteger started = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "switchboard-rpc-" + started.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        return workers;
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
