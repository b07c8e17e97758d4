package dev.switchboard.adapter.socks.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import dev.switchboard.socks.relay.Gate;
import dev.switchboard.socks.relay.Refusal;
import dev.switchboard.socks.relay.Tunnel;
import dev.switchboard.socks.relay.UsageMeter;
import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.SessionsException;

/**
 * RFC 1929 user name and password are an order's client key and password, checked with
 * {@code authClient}. Its slow password hash runs once per client: further connections with the same
 * password are let in while the client has connections and was not cut.
 */
final class AgentGate implements Gate {

    private final AgentApi agent;
    private final UsageMeter meter;

    AgentGate(AgentApi agent, UsageMeter meter) {
        this.agent = agent;
        this.meter = meter;
    }

    @Override
    public boolean passwordRequired() {
        return true;
    }

    @Override
    public void admit(Tunnel tunnel, String clientKey, String password) throws Refusal {
        if (clientKey == null || clientKey.isEmpty()) {
            throw new Refusal("no client key");
        }
        meter.join(clientKey, tunnel, digest(password), () -> {
            try {
                agent.authClient(clientKey, password);
            } catch (SessionsException e) {
                throw new Refusal(e.reason() + " (" + e.detail() + ")");
            }
        });
    }

    /** Only a digest of the password stays in memory. */
    private static byte[] digest(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
