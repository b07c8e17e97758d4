package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.api.config.LogLines;
import dev.switchboard.api.security.Call;
import dev.switchboard.api.security.Decision;

class OfficerTest {

    @TempDir
    Path dir;

    private MutableClock clock;
    private TokenKeys keys;
    private TokenService tokens;
    private Officer officer;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        keys = new TokenKeys(dir.resolve("keys.json"), Duration.ofHours(1), clock, new SecureRandom());
        keys.load();
        tokens = new TokenService(keys, new RevocationList(dir.resolve("revoked.json"), clock),
                TokenService.Settings.defaults(), clock);
        Acl acl = AclCompiler.compile("acl.json", """
                {"assign":[{"url":"*://localhost:*","role":"local"}],
                 "roles":{"local":{"default":"blocked","DeviceInfo":{"default":"allowed"}}}}
                """);
        officer = new Officer(new OpenMethods(OpenMethods.THUNDER), tokens, () -> acl);
    }

    private static Call call(String callsign, int version, String method) {
        return new Call(callsign, version, method, null, "http://evil.example");
    }

    @Test
    void onlyControllerExistsIsOpenWithoutATokenByDefault() {
        assertThat(officer.decide(null, call("Controller", 1, "exists"))).isEqualTo(Decision.ALLOWED);
        assertThat(officer.decide(null, call("Controller", 0, "exists"))).isEqualTo(Decision.ALLOWED);
        assertThat(officer.decide(null, call("Controller", 2, "exists"))).isEqualTo(Decision.UNAUTHENTICATED);
        for (String method : new String[] {"versions", "exists", "validate"}) {
            assertThat(officer.decide(null, call("SecurityAgent", 1, method))).isEqualTo(Decision.UNAUTHENTICATED);
        }
        assertThat(officer.decide(null, call("Controller", 1, "status"))).isEqualTo(Decision.UNAUTHENTICATED);
    }

    @Test
    void aTokenThatIsNotValidIsRefusedEvenOnAnOpenMethod() {
        String valid = tokens.issue("http://localhost:3000");
        String tampered = valid.substring(0, valid.length() - 2) + (valid.endsWith("A") ? "BB" : "AA");
        for (String bad : new String[] {"", "garbage", tampered}) {
            assertThat(officer.decide(bad, call("Controller", 1, "exists"))).as(bad).isEqualTo(Decision.UNAUTHENTICATED);
        }
        assertThat(officer.decide(valid, call("Controller", 1, "exists"))).isEqualTo(Decision.ALLOWED);
        clock.advance(TokenService.Settings.defaults().lifetime());
        assertThat(officer.decide(valid, call("Controller", 1, "exists"))).isEqualTo(Decision.UNAUTHENTICATED);
    }

    @Test
    void configuredOpenMethodsNeedNoTokenInTheVersionTheyName() throws Exception {
        Acl acl = AclCompiler.compile("acl.json", "{\"assign\":[],\"roles\":{}}");
        Officer configured = new Officer(new OpenMethods(java.util.List.of("SecurityAgent.validate", "Fixture.2.echo")),
                tokens, () -> acl);
        assertThat(configured.decide(null, call("SecurityAgent", 1, "validate"))).isEqualTo(Decision.ALLOWED);
        assertThat(configured.decide(null, call("SecurityAgent", 3, "validate"))).isEqualTo(Decision.ALLOWED);
        assertThat(configured.decide(null, call("Fixture", 2, "echo"))).isEqualTo(Decision.ALLOWED);
        assertThat(configured.decide(null, call("Fixture", 0, "echo"))).isEqualTo(Decision.ALLOWED);
        assertThat(configured.decide(null, call("Fixture", 1, "echo"))).isEqualTo(Decision.UNAUTHENTICATED);
        assertThat(configured.decide(null, call("Controller", 1, "exists"))).isEqualTo(Decision.UNAUTHENTICATED);
        assertThat(configured.decide(tokens.issue("http://far.example"), call("Fixture", 2, "echo")))
                .as("open to any valid token too, whatever the ACL says").isEqualTo(Decision.ALLOWED);
    }

    @Test
    void aMissingOrBadTokenIsUnauthenticated() {
        assertThat(officer.decide(null, call("DeviceInfo", 1, "systeminfo"))).isEqualTo(Decision.UNAUTHENTICATED);
        assertThat(officer.decide("", call("DeviceInfo", 1, "systeminfo"))).isEqualTo(Decision.UNAUTHENTICATED);
        for (String bad : new String[] {"x", "a.b.c", "\u0000.\u0001.\u0002", "eyJhbGciOiJub25lIn0.e30.", "é".repeat(10_000)}) {
            assertThat(officer.decide(bad, call("DeviceInfo", 1, "systeminfo"))).isEqualTo(Decision.UNAUTHENTICATED);
        }
        assertThat(officer.decide("x", null)).isEqualTo(Decision.DENIED);
    }

    @Test
    void aValidTokenIsJudgedByTheAclOnItsOwnUrlNotTheCallOrigin() {
        String local = tokens.issue("http://localhost:3000/app");
        assertThat(officer.decide(local, call("DeviceInfo", 1, "systeminfo"))).isEqualTo(Decision.ALLOWED);
        assertThat(officer.decide(local, call("Controller", 1, "activate"))).isEqualTo(Decision.DENIED);

        String remote = tokens.issue("https://app.example");
        assertThat(officer.decide(remote, new Call("DeviceInfo", 1, "systeminfo", null, "http://localhost:3000")))
                .isEqualTo(Decision.DENIED);
    }

    @Test
    void whyATokenIsRefusedIsLoggedOncePerClientAndKindOfReason() throws Exception {
        String expired = tokens.issue("http://localhost:3000");
        String revoked = tokens.issue("http://localhost:3001");
        tokens.revoke(tokens.jtiOf(revoked).orElseThrow());
        String[] parts = tokens.issue("http://localhost:3002").split("\\.");
        String badSignature = parts[0] + "." + parts[1] + "." + "A".repeat(42) + "w";
        String unknownKey = forged("{\"alg\":\"HS256\",\"kid\":\"nobody\\nINFO forged line\"}", parts[1], parts[2]);
        String algorithm = forged("{\"alg\":\"HS512\",\"kid\":\"x\"}", parts[1], parts[2]);
        String malformed = "not-a-token";
        clock.advance(TokenService.Settings.defaults().lifetime());

        try (LogLines log = new LogLines()) {
            for (int i = 0; i < 50; i++) {
                for (String token : new String[] {expired, revoked, badSignature, unknownKey, algorithm, malformed}) {
                    Call call = new Call("DeviceInfo", 1, "systeminfo", null, null, "192.0.2.1");
                    assertThat(officer.decide(token, call)).isEqualTo(Decision.UNAUTHENTICATED);
                }
            }
            officer.decide(malformed, new Call("DeviceInfo", 1, "systeminfo", null, null, "192.0.2.2"));

            List<String> lines = log.containing("Refused the token of 192.0.2.1");
            assertThat(lines).hasSize(6).allMatch(line -> line.contains(" INFO "));
            for (String kind : new String[] {"(expired)", "(revoked)", "(bad signature)", "(unknown key)",
                    "(algorithm not allowed)", "(invalid)"}) {
                assertThat(lines).filteredOn(line -> line.contains(kind)).hasSize(1);
            }
            assertThat(log.containing("forged line")).hasSize(1).allMatch(line -> line.contains("nobody\\nINFO forged"));
            assertThat(log.containing("Refused the token of 192.0.2.2 (invalid)")).hasSize(1);
        }
    }

    private static String forged(String header, String payload, String signature) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + payload + "." + signature;
    }
}
