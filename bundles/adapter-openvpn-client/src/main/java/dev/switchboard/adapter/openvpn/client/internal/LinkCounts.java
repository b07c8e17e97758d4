package dev.switchboard.adapter.openvpn.client.internal;

import java.util.List;

import dev.switchboard.adapter.openvpn.internal.management.Notification;

/** The link byte counts in a client's {@code status} answer ({@code TCP/UDP read bytes,N} and {@code write}). */
final class LinkCounts {

    private LinkCounts() {
    }

    /** The counts as a byte count notification, or {@code null} when the answer lacks them. */
    static Notification.Bytes parse(List<String> lines) {
        long read = -1;
        long written = -1;
        for (String line : lines) {
            if (line.startsWith("TCP/UDP read bytes,")) {
                read = number(line);
            } else if (line.startsWith("TCP/UDP write bytes,")) {
                written = number(line);
            }
        }
        return read < 0 || written < 0 ? null : new Notification.Bytes(read, written);
    }

    private static long number(String line) {
        try {
            return Long.parseLong(line.substring(line.indexOf(',') + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
