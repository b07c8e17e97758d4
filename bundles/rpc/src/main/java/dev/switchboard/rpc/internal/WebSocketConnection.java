package dev.switchboard.rpc.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.config.LogText;

/**
 * One WebSocket client. Messages are answered as their calls complete, so a slow call does not
 * hold up the next message; the token given on the upgrade applies to every message. A message
 * is admitted only while the connection's calls in progress (answers not yet written included)
 * stay within the {@link CallBudget}, else it is answered -32001 and the connection is not read
 * from until a release could let its next message in: a flooding client is held back by TCP
 * instead of costing the host a refusal per message. A client that leaves more than
 * {@code maxPendingBytesPerConnection} of answers and events unread is closed, not buffered for.
 * Public because Jetty looks up the listener methods with a public lookup.
 */
public final class WebSocketConnection implements Session.Listener, EventHub.Subscriber, Links.Open {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

    private final Supplier<JsonRpcServlet.Limits> limits;
    private final CallBudget budget;
    private final Dispatcher.Channel channel;
    private final EventHub events;
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Session session;
    private final Links links;
    private volatile long linkId;
    private volatile long lastMessageNanos = System.nanoTime();

    WebSocketConnection(Supplier<JsonRpcServlet.Limits> limits, CallBudget budget, String boundCallsign, String token,
            String origin, String remote, EventHub events, Links links) {
        this.limits = limits;
        this.links = links;
        this.budget = budget;
        this.channel = new Dispatcher.Channel(boundCallsign, token, origin, remote, this,
                () -> budget.inProgress(this));
        this.events = events;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        linkId = links.opened(this);
        session.demand();
    }

    /** Reads the next frame once this message is admitted or refused, unless the client is held back. */
    @Override
    public void onWebSocketText(String text) {
        lastMessageNanos = System.nanoTime();
        if (!admit(text)) {
            session.demand();
        }
    }

    /** @return whether the connection is held back: it is resumed by the {@link CallBudget} */
    private boolean admit(String text) {
        JsonRpcServlet.Limits current = limits.get();
        Dispatcher dispatcher = current.dispatcher();
        JsonNode message;
        try {
            message = current.parser().readTree(text);
        } catch (StreamConstraintsException e) {
            reply(dispatcher.invalidRequest(e.getOriginalMessage(), channel), 0);
            return false;
        } catch (JsonProcessingException e) {
            reply(dispatcher.parseError(e.getOriginalMessage(), channel), 0);
            return false;
        }
        if (message == null || message.isMissingNode()) {
            reply(dispatcher.parseError("empty message", channel), 0);
            return false;
        }
        int calls = JsonRpcServlet.callsIn(message, current.settings());
        if (!budget.tryAcquire(this, calls)) {
            String reason = budget.whyRefused(this, calls);
            String heldBack = CallBudget.REFUSAL_LINES.admit(Dispatcher.address(channel.remote()));
            if (heldBack != null) {
                LOG.warn("WebSocket {} refused {} calls: {}{}", channel.remote(), calls, reason, heldBack);
            }
            reply(dispatcher.busy(message, reason), 0);
            boolean waits = budget.holdBack(this, calls, session::demand);
            if (waits && pendingBytes.get() > current.settings().maxPendingBytesPerConnection()) {
                readNextNow(); // its unread answers went over the bound meanwhile
            }
            return waits;
        }
        dispatcher.answer(message, channel).whenComplete((answer, failure) -> {
            if (answer == null) { // not expected: the dispatcher answers every failure
                budget.release(this, calls);
            } else {
                reply(answer, calls);
            }
        });
        return false;
    }

    /** Thunder speaks JSON-RPC in text frames only. */
    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        reply(limits.get().dispatcher().invalidRequest("JSON-RPC is sent in text frames, not binary", channel), 0);
        session.demand();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        session.demand();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        session.demand();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.info("WebSocket {} failed: {}", channel.remote(), LogText.quote(cause));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        links.closed(linkId);
        budget.stopHoldingBack(this);
        events.unregisterAll(this);
    }

    @Override
    public String remote() {
        return channel.remote();
    }

    @Override
    public String callsign() {
        return channel.boundCallsign();
    }

    @Override
    public long lastMessageNanos() {
        return lastMessageNanos;
    }

    /** An event: counted against the unread bytes like any answer. */
    @Override
    public void send(String message) {
        send(message, () -> {
        });
    }

    /**
     * Queues a whole message; {@code written} runs once, when Jetty has written it or given up
     * (connection closed), or at once when it is not queued.
     */
    private void send(String message, Runnable written) {
        Session current = session;
        if (current == null || !current.isOpen() || closing.get()) {
            written.run();
            return;
        }
        // What is already queued decides: one answer larger than the bound still goes to a client that reads.
        long pending = pendingBytes.get();
        int max = limits.get().settings().maxPendingBytesPerConnection();
        if (pending > max) {
            written.run();
            closeUnread(current, pending, max);
            return;
        }
        long bytes = utf8Length(message);
        if (pendingBytes.addAndGet(bytes) > max) {
            readNextNow(); // a client held back that does not read must still be found out by its next message
        }
        Runnable done = () -> {
            pendingBytes.addAndGet(-bytes);
            written.run();
        };
        // Jetty queues whole messages in order; the pending count is what bounds that queue.
        synchronized (this) {
            current.sendText(message, Callback.from(done, failure -> {
                LOG.debug("Cannot send to {}: {}", channel.remote(), LogText.quote(failure));
                done.run();
            }));
        }
    }

    private void readNextNow() {
        Runnable resume = budget.stopHoldingBack(this);
        if (resume != null) {
            resume.run();
        }
    }

    /**
     * Closes a client that does not read what it asked for. The close frame may never reach a
     * client that does not read, so the connection is dropped too, releasing what was queued.
     */
    private void closeUnread(Session current, long pending, long max) {
        if (closing.compareAndSet(false, true)) {
            LOG.warn("WebSocket {} closed (1008): {} bytes of answers unread exceed maxPendingBytesPerConnection {}",
                    channel.remote(), pending, max);
            current.close(StatusCode.POLICY_VIOLATION, "answers not read", Callback.NOOP);
            current.disconnect();
        }
    }

    private void reply(Dispatcher.Answer answer, int calls) {
        Runnable release = () -> budget.release(this, calls);
        if (answer.body() == null) {
            release.run();
        } else {
            send(answer.body().toString(), release);
        }
    }

    /** What Jetty will write for a text, without encoding it twice. */
    private static long utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x800) {
                bytes += Character.isSurrogate(c) ? 1 : 2; // a surrogate pair is 4 bytes for 2 chars
            } else if (c >= 0x80) {
                bytes++;
            }
        }
        return bytes;
    }
}
