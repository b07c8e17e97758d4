package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.api.security.Call;
import dev.switchboard.api.security.Decision;

class OfficerTest {

    @TempDir
    Path dir;

    private TokenService tokens;
    private Officer officer;

    @BeforeEach
    void setUp() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        TokenKeys keys = new TokenKeys(dir.resolve("keys.json"), Duration.ofHours(1), clock, new SecureRandom());
        keys.load();
        tokens = new TokenService(keys, new RevocationList(dir.resolve("revoked.json"), clock),
                TokenService.Settings.defaults(), clock);
        Acl acl = AclCompiler.compile("acl.json", """
                {"assign":[{"url":"*://localhost:*","role":"local"}],
                 "roles":{"local":{"default":"blocked","DeviceInfo":{"default":"allowed"}}}}
                """);
        officer = new Officer("SecurityAgent", tokens, () -> acl);
    }

    private static Call call(String callsign, int version, String method) {
        return new Call(callsign, version, method, null, "http://evil.example");
    }

    @Test
    void discoveryIsOpenWithoutAToken() {
        assertThat(officer.decide(null, call("Controller", 1, "exists"))).isEqualTo(Decision.ALLOWED);
        assertThat(officer.decide(null, call("Controller", 0, "exists"))).isEqualTo(Decision.ALLOWED);
        for (String method : new String[] {"versions", "exists", "validate"}) {
            assertThat(officer.decide(null, call("SecurityAgent", 1, method))).isEqualTo(Decision.ALLOWED);
            assertThat(officer.decide("garbage", call("SecurityAgent", 0, method))).isEqualTo(Decision.ALLOWED);
        }
        assertThat(officer.decide(null, call("SecurityAgent", 2, "validate"))).isEqualTo(Decision.UNAUTHENTICATED);
        assertThat(officer.decide(null, call("Controller", 1, "status"))).isEqualTo(Decision.UNAUTHENTICATED);
        assertThat(officer.decide(null, call("SecurityAgent", 1, "register"))).isEqualTo(Decision.UNAUTHENTICATED);
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
}
