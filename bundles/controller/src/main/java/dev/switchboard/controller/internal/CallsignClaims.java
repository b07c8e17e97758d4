package dev.switchboard.controller.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which configuration holds each callsign. A callsign names one instance: the first configuration to
 * claim it keeps it, and a later claim by another configuration is refused for as long as the holder
 * keeps the callsign. When the holder lets it go (deleted, or renamed), the earliest refused claim
 * takes it over, as it would when the host started again without the holder.
 */
final class CallsignClaims {

    /**
     * A configuration's claim on a callsign.
     *
     * @param origin where the configuration comes from (an {@code etc/} or plugin file), or null
     */
    record Claim(String pid, String callsign, String origin) {
        @Override
        public String toString() {
            return origin == null ? pid : pid + " (" + origin + ")";
        }
    }

    /** Every claim by configuration PID, in the order first claimed. */
    private final Map<String, Claim> claims = new LinkedHashMap<>();
    private final Map<String, Claim> holders = new HashMap<>();

    /**
     * Records the configuration's claim, replacing one it made before.
     *
     * @return the claim that holds the callsign: {@code claim} itself when granted
     * @throws IllegalArgumentException when the configuration claimed another callsign before: release that first
     */
    synchronized Claim claim(Claim claim) {
        Claim before = claims.get(claim.pid());
        if (before != null && !before.callsign().equals(claim.callsign())) {
            throw new IllegalArgumentException(claim.pid() + " holds a claim on " + before.callsign());
        }
        claims.put(claim.pid(), claim);
        Claim holder = holders.get(claim.callsign());
        if (holder == null || holder.pid().equals(claim.pid())) {
            holders.put(claim.callsign(), claim);
            return claim;
        }
        return holder;
    }

    /**
     * Withdraws the configuration's claim.
     *
     * @return the claim that now holds the callsign it held, or null when it held none or no one else claimed it
     */
    synchronized Claim release(String pid) {
        Claim released = claims.remove(pid);
        if (released == null || !holders.remove(released.callsign(), released)) {
            return null;
        }
        for (Claim waiting : claims.values()) {
            if (waiting.callsign().equals(released.callsign())) {
                holders.put(waiting.callsign(), waiting);
                return waiting;
            }
        }
        return null;
    }

    /** The configuration's current claim, or null. */
    synchronized Claim of(String pid) {
        return claims.get(pid);
    }

    /** The claim holding the callsign, or null. */
    synchronized Claim holder(String callsign) {
        return holders.get(callsign);
    }

    /** The claim holding the callsign this configuration claims, when that is another's; else null. */
    synchronized Claim refusal(String pid) {
        Claim claim = claims.get(pid);
        Claim holder = claim == null ? null : holders.get(claim.callsign());
        return holder == null || holder.pid().equals(pid) ? null : holder;
    }
}
