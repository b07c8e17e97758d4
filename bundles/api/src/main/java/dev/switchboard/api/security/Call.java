package dev.switchboard.api.security;

/**
 * A call as the security officer judges it.
 *
 * @param callsign the plugin called (never empty: the Controller's callsign when the designator has none)
 * @param version  the interface major version the designator named, or 0 for the default
 * @param method   the method name, without index
 * @param index    the designator's index, or {@code null}
 * @param origin   the client's origin: the HTTP {@code Origin} header when given, else
 *                 {@code <scheme>://<remote address>:<port>}
 * @param remote   the network address the call came from, without port, or {@code null} when
 *                 unknown: which client it is, for the log
 */
public record Call(String callsign, int version, String method, String index, String origin, String remote) {

    /** A call whose network address is not known. */
    public Call(String callsign, int version, String method, String index, String origin) {
        this(callsign, version, method, index, origin, null);
    }
}
