package dev.switchboard.rpc.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.api.config.LogThrottle;

/**
 * How many calls each client (a WebSocket connection, or an HTTP client's address) and all
 * clients together have in progress, from admission until the answer is written. A message is
 * admitted whole or refused whole, so memory held for calls and unwritten answers stays bounded
 * however fast clients send. The last quarter of the total is kept for light clients (fewer
 * than a tenth of the per-client bound in progress), so that a few well-behaved callers still get
 * through when heavy ones have taken the rest. A refused client may be held back (not read from)
 * until a release could let its next message in, so that it waits instead of being refused again
 * and again.
 */
final class CallBudget {

    /** Refusal lines: one per client address and 10 s, saying how many were held back. */
    static final LogThrottle REFUSAL_LINES = new LogThrottle(Duration.ofSeconds(10), 4096, 50);

    private final Map<Object, Integer> byClient = new HashMap<>();
    /** Clients held back until calls of their own are released. */
    private final Map<Object, Runnable> awaitingOwn = new HashMap<>();
    /** Clients held back until anyone's calls are released, in the order they were refused. */
    private final Map<Object, Runnable> awaitingRoom = new LinkedHashMap<>();
    private int perClient;
    private int total;
    private int inProgress;

    CallBudget(int perClient, int total) {
        limits(perClient, total);
    }

    /** New bounds apply to new admissions; calls in progress finish. */
    synchronized void limits(int perClient, int total) {
        this.perClient = perClient;
        this.total = total;
    }

    /** @return whether the calls are admitted; if so, {@link #release} them when their answer is written */
    synchronized boolean tryAcquire(Object client, int calls) {
        int own = byClient.getOrDefault(client, 0);
        if (own + calls > perClient || inProgress + calls > room(own + calls)) {
            return false;
        }
        byClient.put(client, own + calls);
        inProgress += calls;
        return true;
    }

    /** Why {@link #tryAcquire} would refuse these calls now, in words for the client and the log. */
    synchronized String whyRefused(Object client, int calls) {
        int own = byClient.getOrDefault(client, 0);
        if (own + calls > perClient) {
            return "this client has " + own + " calls in progress and sent " + calls + " (maxCallsPerClient "
                    + perClient + ")";
        }
        return "the host has " + inProgress + " calls in progress and " + calls + " more would exceed the "
                + room(own + calls) + " open to a client with as many (maxCallsInProgress " + total + ")";
    }

    /** The total a client may fill: all of it for a light client, three quarters for others. */
    private int room(int clientCalls) {
        return clientCalls <= lightCalls(perClient) ? total : total - total / 4;
    }

    /** A client with at most this many calls in progress is light: a tenth of the per-client bound. */
    static int lightCalls(int perClient) {
        return Math.max(1, perClient / 10);
    }

    /**
     * Holds back a client whose calls were just refused: {@code resume} runs once, on a later
     * release that may let its next message in. A client over its own bound waits for its own
     * calls; any other for anyone's, one waiting client woken per release in the order they were
     * refused, and all of them once nothing is in progress.
     *
     * @return false, and {@code resume} never runs, when no call in progress could make room
     */
    synchronized boolean holdBack(Object client, int calls, Runnable resume) {
        int own = byClient.getOrDefault(client, 0);
        if (own > 0 && own + calls > perClient) {
            awaitingOwn.put(client, resume);
            return true;
        }
        if (own + calls > perClient || inProgress == 0) {
            return false;
        }
        awaitingRoom.put(client, resume);
        return true;
    }

    /**
     * Stops holding back a client (gone, or to be read now).
     *
     * @return what resumes it, for the caller to run, or null when it was not held back
     */
    synchronized Runnable stopHoldingBack(Object client) {
        Runnable own = awaitingOwn.remove(client);
        Runnable room = awaitingRoom.remove(client);
        return own != null ? own : room;
    }

    void release(Object client, int calls) {
        if (calls == 0) {
            return;
        }
        List<Runnable> resumed = new ArrayList<>(2);
        synchronized (this) {
            int own = byClient.getOrDefault(client, 0) - calls;
            if (own <= 0) {
                byClient.remove(client);
            } else {
                byClient.put(client, own);
            }
            inProgress -= calls;
            Runnable ownTurn = awaitingOwn.remove(client);
            if (ownTurn != null) {
                resumed.add(ownTurn);
            }
            Iterator<Runnable> waiting = awaitingRoom.values().iterator();
            for (int woken = 0; waiting.hasNext() && (woken == 0 || inProgress == 0); woken++) {
                resumed.add(waiting.next());
                waiting.remove();
            }
        }
        resumed.forEach(Runnable::run); // outside the lock: a resumed client may acquire at once
    }

    synchronized int inProgress(Object client) {
        return byClient.getOrDefault(client, 0);
    }

    synchronized int inProgress() {
        return inProgress;
    }
}
