/**
 * What both SOCKS5 adapters relay with: the SOCKS5 front end (RFC 1928, RFC 1929), the tunnel that
 * forwards bytes without copying them, and the metering that reports a connection's usage once it
 * was delivered. Each adapter brings its own {@link dev.switchboard.socks.relay.Gate} (who may
 * connect) and {@link dev.switchboard.socks.relay.Dialer} (where a CONNECT goes).
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.switchboard.socks.relay;
