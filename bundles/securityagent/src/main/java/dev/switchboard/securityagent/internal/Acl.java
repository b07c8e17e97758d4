package dev.switchboard.securityagent.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled ACL: which calls a token's origin may make. The {@code assign} entries are tried in
 * order and the first whose URL matches the origin names the role; without one the call is
 * denied. Immutable apart from a bounded cache of the role found for an origin.
 */
final class Acl {

    /** One {@code assign} entry. */
    record Assignment(UrlPattern url, String role) {
    }

    /**
     * A callsign entry of a role: with {@code default} blocked, {@code methods} lists what is
     * allowed; with it allowed, what is blocked.
     */
    record CallsignRule(Glob callsign, boolean allowedByDefault, List<Glob> methods) {

        boolean allows(String method) {
            for (Glob m : methods) {
                if (m.matches(method)) {
                    return !allowedByDefault;
                }
            }
            return allowedByDefault;
        }
    }

    /** A role: its callsign entries (literal names first, then patterns in file order) and its default. */
    record Role(String name, boolean allowedByDefault, Map<String, CallsignRule> literal, List<CallsignRule> patterns) {

        boolean allows(String callsign, String method) {
            CallsignRule rule = literal.get(callsign);
            if (rule == null) {
                for (CallsignRule pattern : patterns) {
                    if (pattern.callsign().matches(callsign)) {
                        rule = pattern;
                        break;
                    }
                }
            }
            return rule == null ? allowedByDefault : rule.allows(method);
        }
    }

    private static final int ROLE_CACHE = 1024;
    private static final Role NONE = new Role("", false, Map.of(), List.of());

    private final List<Assignment> assignments;
    private final Map<String, Role> roles;
    private final String source;
    private final Map<Origin, Role> byOrigin = new ConcurrentHashMap<>();

    Acl(List<Assignment> assignments, Map<String, Role> roles, String source) {
        this.assignments = List.copyOf(assignments);
        this.roles = Map.copyOf(roles);
        this.source = source;
    }

    /** The ACL in force when there is no ACL file: it allows nothing. */
    static Acl denyAll() {
        return new Acl(List.of(), Map.of(), "the built-in default (deny all)");
    }

    /**
     * @param origin the token's origin, or {@code null} when its url is not a URL (only a
     *               {@code "*"} entry matches that)
     */
    boolean allows(Origin origin, String callsign, String method) {
        return roleFor(origin).allows(callsign, method);
    }

    /** The role name for an origin, or {@code null} when no entry matches. */
    String roleName(Origin origin) {
        Role role = roleFor(origin);
        return role == NONE ? null : role.name();
    }

    String source() {
        return source;
    }

    private Role roleFor(Origin origin) {
        if (origin == null) {
            return find(null);
        }
        Role role = byOrigin.get(origin);
        if (role == null) {
            role = find(origin);
            if (byOrigin.size() >= ROLE_CACHE) {
                byOrigin.clear();
            }
            byOrigin.put(origin, role);
        }
        return role;
    }

    private Role find(Origin origin) {
        for (Assignment assignment : assignments) {
            if (assignment.url().matches(origin)) {
                return roles.get(assignment.role());
            }
        }
        return NONE;
    }
}
