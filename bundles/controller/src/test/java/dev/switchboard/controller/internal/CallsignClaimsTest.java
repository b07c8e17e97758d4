package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallsignClaimsTest {

    private final CallsignClaims claims = new CallsignClaims();
    private final CallsignClaims.Claim agent = new CallsignClaims.Claim("dev.switchboard.securityagent~SecurityAgent",
            "SecurityAgent", "/home/etc/dev.switchboard.securityagent-SecurityAgent.cfg");
    private final CallsignClaims.Claim imposter = new CallsignClaims.Claim("dev.switchboard.deviceinfo~SecurityAgent",
            "SecurityAgent", "plugin file /home/etc/plugins/evil.json");
    private final CallsignClaims.Claim another = new CallsignClaims.Claim("dev.switchboard.deviceinfo~x",
            "SecurityAgent", null);

    @Test
    void theFirstClaimKeepsTheCallsignAndALaterOneIsRefused() {
        assertThat(claims.claim(agent)).isSameAs(agent);
        assertThat(claims.claim(imposter)).isSameAs(agent);
        assertThat(claims.holder("SecurityAgent")).isSameAs(agent);
        assertThat(claims.refusal(imposter.pid())).isSameAs(agent);
        assertThat(claims.refusal(agent.pid())).isNull();
        // the holder's configuration updated: it keeps the callsign
        assertThat(claims.claim(agent)).isSameAs(agent);
        assertThat(claims.claim(imposter)).isSameAs(agent);
    }

    @Test
    void theEarliestRefusedClaimTakesOverWhenTheHolderLetsGo() {
        claims.claim(agent);
        claims.claim(imposter);
        claims.claim(another);
        assertThat(claims.release(imposter.pid())).as("a refused claim released frees nothing").isNull();
        claims.claim(imposter);
        assertThat(claims.release(agent.pid())).isSameAs(another);
        assertThat(claims.holder("SecurityAgent")).isSameAs(another);
        assertThat(claims.refusal(imposter.pid())).isSameAs(another);
        assertThat(claims.release(another.pid())).isSameAs(imposter);
        assertThat(claims.release(imposter.pid())).isNull();
        assertThat(claims.holder("SecurityAgent")).isNull();
    }

    @Test
    void aRenamedConfigurationReleasesItsOldCallsignFirst() {
        claims.claim(agent);
        assertThatThrownBy(() -> claims.claim(new CallsignClaims.Claim(agent.pid(), "Other", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClaimNamesItsConfigurationAndWhereItComesFrom() {
        assertThat(imposter).hasToString("dev.switchboard.deviceinfo~SecurityAgent (plugin file /home/etc/plugins/evil.json)");
        assertThat(another).hasToString("dev.switchboard.deviceinfo~x");
    }
}
