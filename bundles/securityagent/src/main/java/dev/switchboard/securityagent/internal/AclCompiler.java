package dev.switchboard.securityagent.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Turns Thunder ACL JSON into an {@link Acl}: checks every member, compiles the patterns once
 * and merges several files in the order given ({@link AclFiles}: the extra ones, then the main
 * one): their {@code assign} entries are appended in that order, their roles merged; a role
 * defined twice is an error.
 */
final class AclCompiler {

    /** One ACL file's text and the name errors call it by. */
    record Source(String name, String json) {
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final String ALLOWED = "allowed";
    private static final String BLOCKED = "blocked";

    private AclCompiler() {
    }

    static Acl compile(String name, String json) throws AclException {
        return compile(List.of(new Source(name, json)));
    }

    static Acl compile(List<Source> sources) throws AclException {
        List<Acl.Assignment> assignments = new ArrayList<>();
        List<String> assignmentPlaces = new ArrayList<>();
        Map<String, Acl.Role> roles = new LinkedHashMap<>();
        Map<String, String> roleOrigins = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Source source : sources) {
            names.add(source.name());
            JsonNode root = parse(source);
            expectObject(root, source.name(), "(top level)");
            allowOnly(root, Set.of("assign", "roles"), source.name(), "");
            JsonNode assign = root.get("assign");
            if (assign != null) {
                if (!assign.isArray()) {
                    throw error(source.name(), "assign", "must be an array");
                }
                for (int i = 0; i < assign.size(); i++) {
                    String place = "assign[" + i + "]";
                    assignments.add(assignment(assign.get(i), source.name(), place));
                    assignmentPlaces.add(source.name() + ": " + place + ".role");
                }
            }
            JsonNode roleNodes = root.get("roles");
            if (roleNodes != null) {
                expectObject(roleNodes, source.name(), "roles");
                for (Iterator<Map.Entry<String, JsonNode>> it = roleNodes.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    String place = "roles." + entry.getKey();
                    if (roles.containsKey(entry.getKey())) {
                        throw error(source.name(), place, "role \"" + entry.getKey() + "\" is already defined in "
                                + roleOrigins.get(entry.getKey()));
                    }
                    roles.put(entry.getKey(), role(entry.getKey(), entry.getValue(), source.name(), place));
                    roleOrigins.put(entry.getKey(), source.name());
                }
            }
        }
        for (int i = 0; i < assignments.size(); i++) {
            String role = assignments.get(i).role();
            if (!roles.containsKey(role)) {
                throw new AclException(assignmentPlaces.get(i) + ": unknown role \"" + role + "\"");
            }
        }
        return new Acl(assignments, roles, String.join(", ", names));
    }

    private static JsonNode parse(Source source) throws AclException {
        try {
            JsonNode root = JSON.readTree(source.json());
            if (root == null || root.isMissingNode()) {
                throw new AclException(source.name() + ": empty file");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new AclException(source.name() + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    private static Acl.Assignment assignment(JsonNode node, String file, String place) throws AclException {
        expectObject(node, file, place);
        allowOnly(node, Set.of("url", "role"), file, place);
        String url = text(node, "url", file, place);
        String role = text(node, "role", file, place);
        try {
            return new Acl.Assignment(UrlPattern.parse(url), role);
        } catch (IllegalArgumentException e) {
            throw error(file, place + ".url", e.getMessage());
        }
    }

    private static Acl.Role role(String name, JsonNode node, String file, String place) throws AclException {
        expectObject(node, file, place);
        boolean allowedByDefault = verdict(node, false, file, place);
        Map<String, Acl.CallsignRule> literal = new LinkedHashMap<>();
        List<Acl.CallsignRule> patterns = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("default")) {
                continue;
            }
            if (entry.getKey().isEmpty()) {
                throw error(file, place, "empty callsign");
            }
            Acl.CallsignRule rule = callsign(entry.getKey(), entry.getValue(), allowedByDefault, file,
                    place + "." + entry.getKey());
            if (rule.callsign().isLiteral()) {
                literal.put(entry.getKey(), rule);
            } else {
                patterns.add(rule);
            }
        }
        return new Acl.Role(name, allowedByDefault, literal, patterns);
    }

    private static Acl.CallsignRule callsign(String callsign, JsonNode node, boolean roleDefault, String file,
            String place) throws AclException {
        expectObject(node, file, place);
        allowOnly(node, Set.of("default", "methods"), file, place);
        boolean allowedByDefault = verdict(node, roleDefault, file, place);
        List<Glob> methods = new ArrayList<>();
        JsonNode list = node.get("methods");
        if (list != null) {
            if (!list.isArray()) {
                throw error(file, place + ".methods", "must be an array of method names");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode method = list.get(i);
                if (!method.isTextual() || method.asText().isEmpty()) {
                    throw error(file, place + ".methods[" + i + "]", "must be a method name, got " + method);
                }
                methods.add(Glob.of(method.asText()));
            }
        }
        return new Acl.CallsignRule(Glob.of(callsign), allowedByDefault, List.copyOf(methods));
    }

    private static boolean verdict(JsonNode node, boolean otherwise, String file, String place) throws AclException {
        JsonNode value = node.get("default");
        if (value == null) {
            return otherwise;
        }
        if (value.isTextual() && value.asText().equals(ALLOWED)) {
            return true;
        }
        if (value.isTextual() && value.asText().equals(BLOCKED)) {
            return false;
        }
        throw error(file, place + ".default", "must be \"allowed\" or \"blocked\", got " + value);
    }

    private static String text(JsonNode node, String member, String file, String place) throws AclException {
        JsonNode value = node.get(member);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw error(file, place + "." + member, value == null ? "is missing" : "must be a non-empty string, got " + value);
        }
        return value.asText();
    }

    private static void expectObject(JsonNode node, String file, String place) throws AclException {
        if (!node.isObject()) {
            throw error(file, place, "must be an object, got " + kind(node));
        }
    }

    private static void allowOnly(JsonNode node, Set<String> members, String file, String place) throws AclException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String member = it.next();
            if (!members.contains(member)) {
                throw error(file, place.isEmpty() ? member : place + "." + member,
                        "unknown member; expected one of " + String.join(", ", members.stream().sorted().toList()));
            }
        }
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static AclException error(String file, String place, String problem) {
        return new AclException(file + ": " + place + ": " + problem);
    }
}
