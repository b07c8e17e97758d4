package dev.switchboard.sessions.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.internal.store.OrderRows.Row;

/**
 * Who may call the agent and client faces: a product's adapter credential (its SHA-256, looked up once
 * per product) and a client's password (a slow hash, so a client that passed is remembered for a while),
 * with failures throttled per client key.
 */
final class Credentials {

    private static final long CLIENT_CACHE_MS = 10 * 60_000L;
    private static final int MAX_CLIENTS = 100_000;

    private final Throttle throttle;
    private final LongSupplier clock;
    private final ConcurrentMap<String, String> productCredentials = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, long[]> clientCache = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> clientCacheHash = new ConcurrentHashMap<>();

    Credentials(Throttle throttle, LongSupplier clock) {
        this.throttle = throttle;
        this.clock = clock;
    }

    /** Checks an adapter's credential for {@code product}, whose stored hash {@code stored} reads. */
    void checkProduct(String product, String credential, Supplier<String> stored) {
        if (credential == null || credential.isEmpty()) {
            throw new SessionsException(Reason.BAD_CREDENTIAL, "a product credential is required");
        }
        String hash = productCredentials.get(product);
        if (hash == null) {
            hash = stored.get();
            productCredentials.put(product, hash);
        }
        if (!Secrets.sameHash(hash, Secrets.sha256(credential))) {
            throw new SessionsException(Reason.BAD_CREDENTIAL, "wrong product credential");
        }
    }

    /** Checks a client's password against its order, which {@code order} reads; answers that order's row. */
    Row checkPassword(String clientKey, String password, Supplier<Row> order) {
        long wait = throttle.wait(clientKey);
        if (wait > 0) {
            throw new SessionsException(Reason.TOO_MANY_FAILURES, "too many failures; retry in " + wait + " ms");
        }
        Row row = order.get();
        if (!Secrets.verifyPassword(password, row.passwordHash())) {
            throttle.failed(clientKey);
            throw new SessionsException(Reason.BAD_PASSWORD, "wrong password");
        }
        throttle.succeeded(clientKey);
        return row;
    }

    /** {@link #checkPassword} for the client face, skipped for a client that passed with this password lately. */
    void checkClient(String clientKey, String password, Supplier<Row> order) {
        if (password == null || password.isEmpty()) {
            throw new SessionsException(Reason.BAD_PASSWORD, "a password is required");
        }
        long now = clock.getAsLong();
        long[] cached = clientCache.get(clientKey);
        String passwordSha = Secrets.sha256(password);
        if (cached != null && cached[0] > now && Secrets.sameHash(clientCacheHash.get(clientKey), passwordSha)) {
            return;
        }
        checkPassword(clientKey, password, order);
        if (clientCache.size() > MAX_CLIENTS) {
            clientCache.clear();
            clientCacheHash.clear();
        }
        clientCacheHash.put(clientKey, passwordSha);
        clientCache.put(clientKey, new long[] {now + CLIENT_CACHE_MS});
    }

    /** Forgets that a client passed: its password changed. */
    void forgetClient(String clientKey) {
        clientCache.remove(clientKey);
    }
}
