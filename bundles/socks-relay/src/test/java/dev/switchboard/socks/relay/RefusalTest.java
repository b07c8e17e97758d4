package dev.switchboard.socks.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;

/** A failed connection to a target is answered with the RFC 1928 reply that names its cause. */
class RefusalTest {

    @Test
    void connectFailuresMapToTheirReplies() {
        assertThat(Refusal.of(new ConnectException("Connection refused")).status())
                .isEqualTo(Socks5CommandStatus.CONNECTION_REFUSED);
        assertThat(Refusal.of(new ConnectTimeoutException("connection timed out")).status())
                .as("a ConnectException, yet a timeout").isEqualTo(Socks5CommandStatus.HOST_UNREACHABLE);
        assertThat(Refusal.of(new NoRouteToHostException("No route to host")).status())
                .isEqualTo(Socks5CommandStatus.HOST_UNREACHABLE);
        assertThat(Refusal.of(new UnknownHostException("x.invalid")).status())
                .isEqualTo(Socks5CommandStatus.HOST_UNREACHABLE);
        assertThat(Refusal.of(new SocketException("Network is unreachable")).status())
                .isEqualTo(Socks5CommandStatus.NETWORK_UNREACHABLE);
        assertThat(Refusal.of(new IOException()).status()).isEqualTo(Socks5CommandStatus.FAILURE);
        assertThat(Refusal.of(new IOException()).getMessage()).isEqualTo("IOException");
    }

    @Test
    void aRefusalStaysItself() {
        Refusal refusal = new Refusal("no");
        assertThat(Refusal.of(refusal)).isSameAs(refusal);
        assertThat(refusal.status()).isEqualTo(Socks5CommandStatus.FORBIDDEN);
    }
}
