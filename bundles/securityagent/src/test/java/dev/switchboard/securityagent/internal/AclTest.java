package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class AclTest {

    private static final String THUNDER_EXAMPLE = """
            {"assign":[{"url":"*://localhost:*","role":"local"},
                       {"url":"https://*.apps.example:443","role":"apps"},
                       {"url":"*","role":"default"}],
             "roles":{"default":{"default":"blocked"},
                      "local":{"default":"allowed"},
                      "apps":{"default":"blocked",
                              "DeviceInfo":{"default":"allowed","methods":["register","unregister"]},
                              "Controller":{"default":"blocked","methods":["status","exists"]},
                              "Media*":{"default":"allowed"}}}}
            """;

    private static Origin origin(String url) {
        return Origin.of(url).orElseThrow();
    }

    @Test
    void appliesThunderRules() throws Exception {
        Acl acl = AclCompiler.compile("acl.json", THUNDER_EXAMPLE);
        Origin app = origin("https://tv.apps.example/page");

        // a local origin is allowed everything, any scheme and port
        assertThat(acl.allows(origin("http://localhost:8080/x"), "Controller", "activate")).isTrue();
        assertThat(acl.allows(origin("ws://localhost"), "Anything", "any")).isTrue();
        // "default":"allowed" with methods: a blocklist
        assertThat(acl.allows(app, "DeviceInfo", "systeminfo")).isTrue();
        assertThat(acl.allows(app, "DeviceInfo", "register")).isFalse();
        // "default":"blocked" with methods: an allowlist
        assertThat(acl.allows(app, "Controller", "status")).isTrue();
        assertThat(acl.allows(app, "Controller", "activate")).isFalse();
        // a callsign pattern
        assertThat(acl.allows(app, "MediaPlayer", "play")).isTrue();
        // a callsign not listed falls back to the role's default
        assertThat(acl.allows(app, "Network", "status")).isFalse();
        // everything else gets the default role
        assertThat(acl.roleName(origin("https://evil.example"))).isEqualTo("default");
        assertThat(acl.allows(origin("https://evil.example"), "DeviceInfo", "systeminfo")).isFalse();
        assertThat(acl.roleName(null)).isEqualTo("default");
    }

    @Test
    void matchesOriginPatterns() throws Exception {
        String json = """
                {"assign":[{"url":"*://localhost:*","role":"a"},
                           {"url":"https://*.example.com:443","role":"b"},
                           {"url":"http://host.lan","role":"c"},
                           {"url":"*://*.tv:8443","role":"d"}],
                 "roles":{"a":{},"b":{},"c":{},"d":{}}}
                """;
        Acl acl = AclCompiler.compile("acl.json", json);
        assertThat(acl.roleName(origin("https://localhost:1"))).isEqualTo("a");
        assertThat(acl.roleName(origin("http://LOCALHOST/"))).isEqualTo("a");
        assertThat(acl.roleName(origin("https://app.example.com/x"))).isEqualTo("b");
        assertThat(acl.roleName(origin("https://app.example.com:443"))).isEqualTo("b");
        assertThat(acl.roleName(origin("https://app.example.com:8443"))).isNull();
        assertThat(acl.roleName(origin("http://app.example.com"))).isNull();
        assertThat(acl.roleName(origin("https://example.com"))).isNull();
        assertThat(acl.roleName(origin("http://host.lan:80/page"))).isEqualTo("c");
        assertThat(acl.roleName(origin("http://host.lan:8080"))).isNull();
        assertThat(acl.roleName(origin("wss://box.tv:8443"))).isEqualTo("d");
        assertThat(acl.roleName(origin("wss://box.tv"))).isNull();
        assertThat(acl.roleName(null)).isNull();
    }

    @Test
    void firstMatchInFileOrderWinsAndNoMatchIsDenied() throws Exception {
        String json = """
                {"assign":[{"url":"http://special.lan:80","role":"open"},
                           {"url":"*://*.lan:*","role":"closed"}],
                 "roles":{"closed":{"default":"blocked"},"open":{"default":"allowed"}}}
                """;
        Acl acl = AclCompiler.compile("acl.json", json);
        assertThat(acl.allows(origin("http://special.lan"), "DeviceInfo", "systeminfo")).isTrue();
        assertThat(acl.allows(origin("http://other.lan"), "DeviceInfo", "systeminfo")).isFalse();
        assertThat(acl.allows(origin("http://nowhere.example"), "DeviceInfo", "systeminfo")).isFalse();
        assertThat(Acl.denyAll().allows(origin("http://localhost"), "Controller", "exists")).isFalse();
    }

    @Test
    void literalCallsignsWinOverPatterns() throws Exception {
        String json = """
                {"assign":[{"url":"*","role":"r"}],
                 "roles":{"r":{"default":"allowed","*":{"default":"blocked"},"DeviceInfo":{"default":"allowed"}}}}
                """;
        Acl acl = AclCompiler.compile("acl.json", json);
        assertThat(acl.allows(null, "DeviceInfo", "systeminfo")).isTrue();
        assertThat(acl.allows(null, "Controller", "status")).isFalse();
    }

    @Test
    void mergesExtraFiles() throws Exception {
        Acl acl = AclCompiler.compile(List.of(
                new AclCompiler.Source("acl.d/10-apps.json", """
                        {"assign":[{"url":"*://*.example:*","role":"apps"}],"roles":{"apps":{"default":"blocked","DeviceInfo":{"default":"allowed"}}}}
                        """),
                new AclCompiler.Source("acl.d/20-more.json", """
                        {"assign":[{"url":"http://late.example","role":"local"}]}
                        """),
                new AclCompiler.Source("acl.json", """
                        {"assign":[{"url":"*://localhost:*","role":"local"},{"url":"*","role":"default"}],
                         "roles":{"local":{"default":"allowed"},"default":{}}}
                        """)));
        assertThat(acl.roleName(origin("http://localhost:1"))).isEqualTo("local");
        assertThat(acl.roleName(origin("http://late.example"))).isEqualTo("apps");
        assertThat(acl.roleName(origin("http://elsewhere.lan"))).isEqualTo("default");
        assertThat(acl.allows(origin("http://x.example"), "DeviceInfo", "systeminfo")).isTrue();
        assertThat(acl.source()).isEqualTo("acl.d/10-apps.json, acl.d/20-more.json, acl.json");

        assertThatThrownBy(() -> AclCompiler.compile(List.of(
                new AclCompiler.Source("acl.json", "{\"roles\":{\"apps\":{}}}"),
                new AclCompiler.Source("acl.d/x.json", "{\"roles\":{\"apps\":{}}}"))))
                .isInstanceOf(AclException.class)
                .hasMessage("acl.d/x.json: roles.apps: role \"apps\" is already defined in acl.json");
    }

    @Test
    void rejectsInvalidFilesNamingWhatIsWrong() {
        assertRejected("{\"assign\":[", "acl.json: not valid JSON at line 1");
        assertRejected("[]", "acl.json: (top level): must be an object, got array");
        assertRejected("{\"assign\":{}}", "acl.json: assign: must be an array");
        assertRejected("{\"assign\":[{\"url\":\"*\"}],\"roles\":{}}", "acl.json: assign[0].role: is missing");
        assertRejected("{\"assign\":[{\"url\":\"*\",\"role\":\"nope\"}],\"roles\":{}}",
                "acl.json: assign[0].role: unknown role \"nope\"");
        assertRejected("{\"assign\":[{\"url\":\"localhost\",\"role\":\"r\"}],\"roles\":{\"r\":{}}}",
                "acl.json: assign[0].url: expected \"*\" or scheme://host[:port], got \"localhost\"");
        assertRejected("{\"assign\":[{\"url\":\"http://h:99999\",\"role\":\"r\"}],\"roles\":{\"r\":{}}}",
                "acl.json: assign[0].url: invalid port");
        assertRejected("{\"roles\":{\"r\":{\"default\":\"yes\"}}}",
                "acl.json: roles.r.default: must be \"allowed\" or \"blocked\", got \"yes\"");
        assertRejected("{\"roles\":{\"r\":{\"DeviceInfo\":{\"method\":[\"x\"]}}}}",
                "acl.json: roles.r.DeviceInfo.method: unknown member");
        assertRejected("{\"roles\":{\"r\":{\"DeviceInfo\":{\"methods\":[1]}}}}",
                "acl.json: roles.r.DeviceInfo.methods[0]: must be a method name, got 1");
        assertRejected("{\"roles\":{\"r\":{},\"r\":{}}}", "Duplicate field 'r'");
        assertRejected("", "acl.json: empty file");
    }

    private static void assertRejected(String json, String message) {
        assertThatThrownBy(() -> AclCompiler.compile("acl.json", json))
                .isInstanceOf(AclException.class)
                .hasMessageContaining(message);
    }
}
