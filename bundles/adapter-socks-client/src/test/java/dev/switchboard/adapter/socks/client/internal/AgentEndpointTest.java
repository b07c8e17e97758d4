package dev.switchboard.adapter.socks.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The agent's endpoint as the access message gives it. */
class AgentEndpointTest {

    @Test
    void whatTheAgentPushedWins() {
        assertThat(AgentEndpoint.of(Map.of("serviceEndpointAddress", "old.example:1",
                "additionalParams", Map.of("host", "proxy.example", "port", "1080"))))
                .isEqualTo(new AgentEndpoint("proxy.example", 1080));
    }

    @Test
    void elseTheProductsEndpoint() {
        assertThat(AgentEndpoint.of(Map.of("serviceEndpointAddress", "proxy.example:1080", "additionalParams", Map.of())))
                .isEqualTo(new AgentEndpoint("proxy.example", 1080));
        AgentEndpoint v6 = AgentEndpoint.of(Map.of("serviceEndpointAddress", "[2001:db8::1]:1080"));
        assertThat(v6).isEqualTo(new AgentEndpoint("2001:db8::1", 1080));
        assertThat(v6).hasToString("[2001:db8::1]:1080");
    }

    @Test
    void noEndpointOrNoPortIsRefused() {
        assertThatThrownBy(() -> AgentEndpoint.of(Map.of("additionalParams", Map.of("host", "h"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no endpoint");
        assertThatThrownBy(() -> AgentEndpoint.of(Map.of("serviceEndpointAddress", "proxy.example")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentEndpoint.of(Map.of("additionalParams", Map.of("host", "h", "port", "http"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a port");
        assertThatThrownBy(() -> AgentEndpoint.of(Map.of("serviceEndpointAddress", "h:70000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a port");
    }
}
