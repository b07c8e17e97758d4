package dev.switchboard.rpc.internal;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.PluginConstants;

/**
 * A parsed Thunder designator {@code [Callsign.][version.]method[@index]}.
 *
 * @param callsign the plugin, never empty (Controller when the designator names none)
 * @param version  the interface major version, 0 for the plugin's default interface
 * @param method   the method name, case-sensitive
 * @param index    the text after {@code @}, or null
 */
record Designator(String callsign, int version, String method, String index) {

    /** Thunder keeps versions in a byte; anything larger cannot name an interface. */
    static final int MAX_VERSION = 254;

    /**
     * @param text          the request's {@code method} member
     * @param boundCallsign the callsign the channel is bound to ({@code /jsonrpc/<Callsign>}), or null
     */
    static Designator parse(String text, String boundCallsign) {
        String name = text;
        String index = null;
        int at = text.indexOf('@');
        if (at >= 0) {
            name = text.substring(0, at);
            index = text.substring(at + 1);
            if (index.isEmpty() || index.indexOf('@') >= 0) {
                throw invalid(text, "one non-empty index after '@'");
            }
        }
        int lastDot = name.lastIndexOf('.');
        String method = name.substring(lastDot + 1);
        if (method.isEmpty() || !isIdentifier(method)) {
            throw invalid(text, "no method name");
        }
        String prefix = lastDot < 0 ? "" : name.substring(0, lastDot);
        int version = 0;
        int versionDot = prefix.lastIndexOf('.');
        String versionText = prefix.substring(versionDot + 1);
        boolean versioned = isDigits(versionText);
        if (versioned) {
            version = parseVersion(text, versionText);
        }
        String callsign = versioned ? prefix.substring(0, Math.max(versionDot, 0)) : prefix;
        boolean dotWithoutCallsign = versioned ? versionDot >= 0 : lastDot >= 0;
        if (callsign.isEmpty() && dotWithoutCallsign || !callsign.isEmpty() && !isCallsign(callsign)) {
            throw invalid(text, "malformed callsign");
        }
        if (callsign.isEmpty()) {
            callsign = boundCallsign != null ? boundCallsign : PluginConstants.CONTROLLER;
        } else if (boundCallsign != null && !boundCallsign.equals(callsign)) {
            throw invalid(text, "the channel is bound to " + boundCallsign);
        }
        return new Designator(callsign, version, method, index);
    }

    private static int parseVersion(String text, String digits) {
        if (digits.length() > 3 || Integer.parseInt(digits) > MAX_VERSION) {
            throw invalid(text, "version must be 1.." + MAX_VERSION);
        }
        if (Integer.parseInt(digits) == 0) {
            // Thunder parses it, then finds no interface with version 0
            throw new JsonRpcException(ErrorCode.VERSION_NOT_SUPPORTED, "'" + text + "': no interface has version 0");
        }
        return Integer.parseInt(digits);
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Callsigns may contain dots (Thunder's do not, OSGi-style names might), never empty segments. */
    private static boolean isCallsign(String s) {
        for (String segment : s.split("\\.", -1)) {
            if (segment.isEmpty() || !segment.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentifier(String s) {
        return s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
    }

    private static JsonRpcException invalid(String text, String why) {
        return new JsonRpcException(ErrorCode.INVALID_DESIGNATOR, "'" + text + "': " + why);
    }
}
