package dev.switchboard.securityagent.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.api.security.Call;

/**
 * The methods any caller may call without a token, each written {@code Callsign.method} (any version) or
 * {@code Callsign.version.method} (that version, or a call that names none). Thunder opens only
 * {@code Controller.1.exists}, so that a client can tell the host is up.
 */
final class OpenMethods {

    static final List<String> THUNDER = List.of("Controller.1.exists");
    static final String RULE = "Callsign.method or Callsign.version.method";
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9_-]+)(?:\\.([1-9][0-9]{0,2}))?\\.([A-Za-z0-9_]+)");

    private record Entry(String callsign, int version, String method) {
    }

    private final List<Entry> entries;

    OpenMethods(List<String> designators) {
        entries = designators.stream().map(OpenMethods::entry).toList();
    }

    static boolean isValid(String designator) {
        return ENTRY.matcher(designator).matches();
    }

    private static Entry entry(String designator) {
        Matcher matcher = ENTRY.matcher(designator);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not " + RULE + ": " + designator);
        }
        return new Entry(matcher.group(1), matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2)),
                matcher.group(3));
    }

    boolean contains(Call call) {
        for (Entry entry : entries) {
            if (entry.callsign().equals(call.callsign()) && entry.method().equals(call.method())
                    && (entry.version() == 0 || call.version() == 0 || entry.version() == call.version())) {
                return true;
            }
        }
        return false;
    }
}
