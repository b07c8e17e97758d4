package dev.switchboard.socks.relay;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;

/** Why a client connection or request is refused, with the SOCKS5 reply status that tells the client. */
public final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Socks5CommandStatus status;

    public Refusal(Socks5CommandStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** A refusal of a client (authentication, admission): the connection is not allowed. */
    public Refusal(String reason) {
        this(Socks5CommandStatus.FORBIDDEN, reason);
    }

    public Socks5CommandStatus status() {
        return status;
    }

    /** The reply RFC 1928 gives for a failed connection to a target. */
    public static Refusal of(Throwable cause) {
        if (cause instanceof Refusal refusal) {
            return refusal;
        }
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // netty's ConnectTimeoutException is a ConnectException: test it first
        if (cause instanceof UnknownHostException || cause instanceof NoRouteToHostException
                || cause instanceof ConnectTimeoutException) {
            return new Refusal(Socks5CommandStatus.HOST_UNREACHABLE, text);
        }
        if (cause instanceof ConnectException) {
            return new Refusal(Socks5CommandStatus.CONNECTION_REFUSED, text);
        }
        if (cause instanceof SocketException && text.contains("Network is unreachable")) {
            return new Refusal(Socks5CommandStatus.NETWORK_UNREACHABLE, text);
        }
        return new Refusal(Socks5CommandStatus.FAILURE, text);
    }
}
