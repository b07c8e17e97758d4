package dev.switchboard.adapter.openvpn.internal;

import dev.switchboard.sessions.api.UsageReport;

/**
 * One client connected to the OpenVPN server, with the cumulative totals last read for it.
 *
 * @param connection the session's connection: the callsign, when it connected and OpenVPN's client id, which
 *                   an adapter attaching later derives alike from {@code status 3}
 */
record Tunnel(long cid, String clientKey, String connection, String realAddress, String vpnAddress, long since,
        UsageReport totals) {

    static String connection(String callsign, long since, long cid) {
        return callsign + "/" + since + "/" + cid;
    }

    Tunnel with(UsageReport newTotals) {
        return new Tunnel(cid, clientKey, connection, realAddress, vpnAddress, since, newTotals);
    }
}
