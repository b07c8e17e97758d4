package dev.switchboard.socks.relay;

import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.UsageReport;

/**
 * One client (a client key) of a SOCKS5 front end: its open connections and the one Service API session
 * that covers them, started with its first connection and stopped after its last, whose cumulative
 * totals are the bytes of every connection it covered.
 *
 * <p>Blocking calls (the gate's check, the session calls) run under the account's lock, off the event
 * loop. A cut ({@link #cut}) takes no lock, so a Service API event can deliver it from any thread.
 */
public final class Account {

    /** The blocking check a gate makes before it trusts a credential, e.g. {@code AgentApi.authClient}. */
    @FunctionalInterface
    public interface Check {
        void run() throws Refusal;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Account.class);

    private final UsageMeter meter;
    private final String key;
    private final SessionReporter reporter;
    private final Set<Tunnel> members = ConcurrentHashMap.newKeySet();
    /** Counts cuts: a credential checked, or a tunnel joined, before the latest cut is no longer good. */
    private final AtomicLong cuts = new AtomicLong();
    private final AtomicBoolean reportQueued = new AtomicBoolean();
    // guarded by this
    private byte[] trusted;
    private long trustedAt;
    private boolean retired;
    // written under the lock, read without it by status queries and cutSession
    private volatile String session;
    private volatile long closedUp;
    private volatile long closedDown;

    Account(UsageMeter meter, String key, SessionReporter reporter) {
        this.meter = meter;
        this.key = key;
        this.reporter = reporter;
    }

    public String key() {
        return key;
    }

    /**
     * Adds {@code tunnel} unless the account retired meanwhile (answers {@code false}: take a fresh one).
     * The check runs unless {@code credential} is the one last trusted and no cut came since.
     */
    synchronized boolean join(Tunnel tunnel, byte[] credential, Check check) throws Refusal {
        if (retired) {
            return false;
        }
        long seen = cuts.get();
        if (trusted == null || trustedAt != seen || !MessageDigest.isEqual(trusted, credential)) {
            check.run();
            if (cuts.get() != seen) {
                throw new Refusal("the client was cut off while it was being checked");
            }
            trusted = credential.clone();
            trustedAt = seen;
        }
        members.add(tunnel);
        tunnel.joined(this, seen);
        // a cut or a close that came meanwhile saw the tunnel, or is seen here
        if (cuts.get() != seen || tunnel.finished()) {
            members.remove(tunnel);
            throw new Refusal("the client was cut off");
        }
        return true;
    }

    /** Before the tunnel relays: starts the session if the client has none open. */
    synchronized void begin(Tunnel tunnel) throws Refusal {
        if (cuts.get() != tunnel.epoch() || !members.contains(tunnel)) {
            throw new Refusal("the client was cut off");
        }
        if (session == null) {
            String id = meter.nextSession();
            try {
                reporter.start(id, tunnel.remote().getAddress().getHostAddress());
            } catch (RuntimeException e) {
                throw new Refusal("its session did not start: " + describe(e));
            }
            closedUp = 0;
            closedDown = 0;
            session = id;
            LOG.debug("Client {} started session {}", key, id);
        }
    }

    /** After both legs of the tunnel closed: its bytes join the session's; the last one ends the session. */
    synchronized void leave(Tunnel tunnel) {
        if (!members.remove(tunnel)) {
            return;
        }
        String id = session;
        if (id != null) {
            closedUp += tunnel.bytesUp();
            closedDown += tunnel.bytesDown();
        }
        if (!members.isEmpty()) {
            return;
        }
        if (id != null) {
            session = null;
            end(id, new UsageReport(closedUp, closedDown));
        }
        retired = true;
        meter.forget(this);
    }

    /** The final report of a session: its totals, then its stop. */
    private void end(String id, UsageReport totals) {
        try {
            reporter.update(id, totals);
        } catch (RuntimeException e) {
            LOG.warn("Final usage of client {} in session {} ({} bytes up, {} down) not recorded: {}", key, id,
                    totals.bytesUp(), totals.bytesDown(), describe(e));
        }
        try {
            ServiceStatus status = reporter.stop(id, totals);
            LOG.debug("Client {} stopped session {} ({} bytes up, {} down): {}", key, id, totals.bytesUp(),
                    totals.bytesDown(), status.wire());
        } catch (RuntimeException e) {
            LOG.warn("Session {} of client {} not stopped: {}", id, key, describe(e));
        }
    }

    /** Queues one periodic report unless one is still waiting. */
    void queueReport() {
        if (session != null && reportQueued.compareAndSet(false, true)) {
            meter.execute(this::report);
        }
    }

    private void report() {
        reportQueued.set(false);
        ServiceStatus status;
        synchronized (this) {
            String id = session;
            if (id == null) {
                return;
            }
            try {
                status = reporter.update(id, totals());
            } catch (RuntimeException e) {
                LOG.warn("Usage of client {} in session {} not reported: {}", key, id, describe(e));
                return;
            }
        }
        if (!meter.keeps(status)) {
            cut("the service is " + status.wire());
        }
    }

    /** Cumulative totals of the open session: never lower than an earlier answer. */
    private UsageReport totals() {
        long up = closedUp;
        long down = closedDown;
        for (Tunnel tunnel : members) {
            up += tunnel.bytesUp();
            down += tunnel.bytesDown();
        }
        return new UsageReport(up, down);
    }

    /** Closes every connection of the client; new ones must pass the gate's check again. */
    public void cut(String why) {
        cuts.incrementAndGet();
        if (!members.isEmpty()) {
            LOG.info("Closing the {} connections of client {}: {}", members.size(), key, why);
            members.forEach(Tunnel::close);
        }
    }

    String session() {
        return session;
    }

    Set<Tunnel> members() {
        return members;
    }

    UsageMeter.ClientUsage usage() {
        UsageReport totals = totals();
        return new UsageMeter.ClientUsage(key, session, members.size(), totals.bytesUp(), totals.bytesDown());
    }

    static String describe(RuntimeException e) {
        return e instanceof SessionsException s ? s.reason() + " (" + s.detail() + ")" : e.toString();
    }
}
