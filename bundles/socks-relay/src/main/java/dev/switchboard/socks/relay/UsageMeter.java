package dev.switchboard.socks.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.threads.DaemonThreads;
import dev.switchboard.sessions.api.ServiceStatus;

/**
 * The accounts of one SOCKS5 front end and their Service API sessions: cumulative usage reported
 * every period and when a session ends, clients cut when the service status says so. Service API
 * calls run on a small pool of its own, never on an event loop.
 */
public final class UsageMeter {

    /** One client now: its open session (or {@code null}), connections, and the session's bytes so far. */
    public record ClientUsage(String clientKey, String session, int connections, long bytesUp, long bytesDown) {
    }

    /** Every client now, and the bytes relayed since the meter started. */
    public record Usage(List<ClientUsage> clients, long bytesUp, long bytesDown) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);
    /** Threads for blocking Service API calls: password checks are slow, database calls are short. */
    private static final int BLOCKING_THREADS = 4;
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final String name;
    private final Function<String, SessionReporter> reporters;
    private final Predicate<ServiceStatus> keep;
    private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final ExecutorService blocking;
    private final ScheduledExecutorService timer;
    private final String sessionPrefix;
    private final AtomicLong sessions = new AtomicLong();
    private final LongAdder finishedUp = new LongAdder();
    private final LongAdder finishedDown = new LongAdder();
    private volatile boolean closing;

    /**
     * @param name          names the threads and prefixes the session (connection) ids
     * @param reporters     the Service API face of a client key
     * @param keep          whether a client keeps its connections under a service status
     * @param reportSeconds period of the usage reports of open sessions
     */
    public UsageMeter(String name, Function<String, SessionReporter> reporters, Predicate<ServiceStatus> keep,
            long reportSeconds) {
        if (reportSeconds < 1) {
            throw new IllegalArgumentException("reportSeconds must be at least 1");
        }
        this.name = name;
        this.reporters = reporters;
        this.keep = keep;
        // unique per start, so a session id never matches one of an earlier run
        this.sessionPrefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        this.blocking = Executors.newFixedThreadPool(BLOCKING_THREADS,
                DaemonThreads.numbered("switchboard-" + name + "-sessions-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("switchboard-" + name + "-reports"));
        timer.scheduleWithFixedDelay(this::reportAll, reportSeconds, reportSeconds, TimeUnit.SECONDS);
    }


    /** The pool for blocking calls (name resolution, Service API). */
    public Executor blocking() {
        return this::execute;
    }

    void execute(Runnable task) {
        blocking.execute(task);
    }

    /**
     * Joins {@code tunnel} to the account of {@code key}, running {@code check} unless the account
     * already trusts {@code credential}. Blocks; call it from a {@link Gate}.
     */
    public void join(String key, Tunnel tunnel, byte[] credential, Account.Check check) throws Refusal {
        while (true) {
            if (closing) {
                throw new Refusal("the adapter is stopping");
            }
            Account account = accounts.computeIfAbsent(key, k -> new Account(this, k, reporters.apply(k)));
            if (account.join(tunnel, credential, check)) {
                return;
            }
        }
    }

    /** Blocks: the tunnel is about to relay; its client gets a session if it has none. */
    void begin(Tunnel tunnel) throws Refusal {
        Account account = tunnel.account();
        if (account == null) {
            throw new Refusal("not admitted");
        }
        account.begin(tunnel);
    }

    /**
     * On the event loop, once both legs of a tunnel are closed. A closed socket completes no more writes,
     * so its bytes are final here: the last report of its session, sent after this, holds every byte
     * written to either peer and nothing that was still queued.
     */
    void finished(Tunnel tunnel) {
        tunnel.finish();
        finishedUp.add(tunnel.bytesUp());
        finishedDown.add(tunnel.bytesDown());
        Account account = tunnel.account();
        if (account != null) {
            try {
                execute(() -> account.leave(tunnel));
            } catch (RejectedExecutionException e) {
                LOG.warn("Usage of a connection of client {} lost: {} is stopped", account.key(), name);
            }
        }
    }

    void forget(Account account) {
        accounts.remove(account.key(), account);
    }

    String nextSession() {
        return sessionPrefix + sessions.incrementAndGet();
    }

    boolean keeps(ServiceStatus status) {
        return keep.test(status);
    }

    private void reportAll() {
        try {
            accounts.values().forEach(Account::queueReport);
        } catch (RejectedExecutionException e) {
            LOG.debug("No more reports: {} is stopping", name);
        }
    }

    /** Cuts every connection of a client, e.g. when its service status changed. */
    public void cutClient(String key, String why) {
        Account account = accounts.get(key);
        if (account != null) {
            account.cut(why);
        }
    }

    /** Cuts the client whose open session has the Service API connection id {@code connection}. */
    public void cutSession(String connection, String why) {
        for (Account account : accounts.values()) {
            if (connection.equals(account.session())) {
                account.cut(why);
            }
        }
    }

    public Usage usage() {
        List<ClientUsage> clients = new ArrayList<>();
        long up = finishedUp.sum();
        long down = finishedDown.sum();
        for (Account account : accounts.values()) {
            clients.add(account.usage());
            for (Tunnel tunnel : account.members()) {
                // a finished tunnel is already in the finished sums
                if (!tunnel.finished()) {
                    up += tunnel.bytesUp();
                    down += tunnel.bytesDown();
                }
            }
        }
        return new Usage(clients, up, down);
    }

    /** First step of stopping: no new clients, no more periodic reports. */
    void stopReports() {
        closing = true;
        timer.shutdownNow();
    }

    /** Last step of stopping, once every connection is closed: waits for the final reports. */
    void close() {
        stopReports();
        blocking.shutdown();
        try {
            if (!blocking.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{}: final usage reports still running after {} s; giving up on them", name,
                        CLOSE_WAIT_SECONDS);
                blocking.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
