package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;

import org.junit.jupiter.api.Test;

class JsonRpcServletStartTest {

    @Test
    void jettysMissingWebSocketSupportIsRecognisedInsideTheServletException() {
        assertThat(JsonRpcServlet.webSocketSupportMissing(
                new ServletException(new IllegalStateException("WebSocketComponents has not been created")))).isTrue();
    }

    @Test
    void anyOtherFailureToStartIsNotTakenForIt() {
        assertThat(JsonRpcServlet.webSocketSupportMissing(new ServletException(new IllegalStateException("other")))).isFalse();
        assertThat(JsonRpcServlet.webSocketSupportMissing(new ServletException("no cause"))).isFalse();
        assertThat(JsonRpcServlet.webSocketSupportMissing(new IllegalStateException((String) null))).isFalse();
    }
}
