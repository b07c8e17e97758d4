package dev.switchboard.rpc.internal;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.api.config.LogText;

/**
 * One WebSocket client. Messages are answered as their calls complete, so a slow call does not
 * hold up the next message; the token given on the upgrade applies to every message.
 * Public because Jetty looks up the listener methods with a public lookup.
 */
public final class WebSocketConnection implements Session.Listener.AutoDemanding, EventHub.Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

    private final Supplier<ObjectMapper> parser;
    private final Supplier<Dispatcher> dispatcher;
    private final Dispatcher.Channel channel;
    private final EventHub events;
    private volatile Session session;

    WebSocketConnection(Supplier<ObjectMapper> parser, Supplier<Dispatcher> dispatcher, String boundCallsign,
            String token, String origin, String remote, EventHub events) {
        this.parser = parser;
        this.dispatcher = dispatcher;
        this.channel = new Dispatcher.Channel(boundCallsign, token, origin, remote, this);
        this.events = events;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String text) {
        Dispatcher current = dispatcher.get();
        JsonNode message;
        try {
            message = parser.get().readTree(text);
        } catch (StreamConstraintsException e) {
            reply(current.invalidRequest(e.getOriginalMessage(), channel));
            return;
        } catch (JsonProcessingException e) {
            reply(current.parseError(e.getOriginalMessage(), channel));
            return;
        }
        if (message == null || message.isMissingNode()) {
            reply(current.parseError("empty message", channel));
            return;
        }
        current.answer(message, channel).thenAccept(this::reply);
    }

    /** Thunder speaks JSON-RPC in text frames only. */
    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        reply(dispatcher.get().invalidRequest("JSON-RPC is sent in text frames, not binary", channel));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.info("WebSocket {} failed: {}", channel.remote(), LogText.quote(cause));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        events.unregisterAll(this);
    }

    @Override
    public void send(String message) {
        Session current = session;
        if (current != null && current.isOpen()) {
            // Whole messages only; Jetty queues them, bounded by its max outgoing frames.
            synchronized (this) {
                current.sendText(message, Callback.from(() -> {
                }, failure -> LOG.debug("Cannot send to {}: {}", channel.remote(), LogText.quote(failure))));
            }
        }
    }

    private void reply(Dispatcher.Answer answer) {
        if (answer.body() != null) {
            send(answer.body().toString());
        }
    }
}
