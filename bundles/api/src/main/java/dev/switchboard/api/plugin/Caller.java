package dev.switchboard.api.plugin;

/**
 * Who made a call, for a method that declares a parameter of this type.
 *
 * @param token  the token the call carried (HTTP {@code Authorization: Bearer}, or bound to the
 *               WebSocket), or {@code null}
 * @param origin the calling client's origin or remote address, or {@code null} for a call made
 *               inside the host
 */
public record Caller(String token, String origin) {

    /** A call made by another plugin inside the host. */
    public static final Caller INTERNAL = new Caller(null, null);
}
