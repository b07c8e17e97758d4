package dev.switchboard.adapter.openvpn.internal.management;

import java.util.List;

/**
 * A command's answer: {@code SUCCESS: text}, {@code ERROR: text}, or the lines of a multi-line answer
 * (such as {@code status 3}) before its {@code END}.
 */
public record Reply(boolean success, String text, List<String> lines) {

    static Reply of(String line) {
        if (line.startsWith("SUCCESS:")) {
            return new Reply(true, line.substring(8).trim(), List.of());
        }
        return new Reply(false, line.startsWith("ERROR:") ? line.substring(6).trim() : line, List.of());
    }
}
