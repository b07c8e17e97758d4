package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.switchboard.api.jsonrpc.JsonRpcException;

class DesignatorTest {

    @Test
    void fullDesignator() {
        assertThat(Designator.parse("SecurityAgent.1.validate", null))
                .isEqualTo(new Designator("SecurityAgent", 1, "validate", null));
    }

    @Test
    void indexAfterAt() {
        assertThat(Designator.parse("Controller.1.status@SecurityAgent", null))
                .isEqualTo(new Designator("Controller", 1, "status", "SecurityAgent"));
        assertThat(Designator.parse("Fixture.value@a.b", null))
                .isEqualTo(new Designator("Fixture", 0, "value", "a.b"));
    }

    @Test
    void missingVersionSelectsDefault() {
        assertThat(Designator.parse("DeviceInfo.systeminfo", null)).isEqualTo(new Designator("DeviceInfo", 0, "systeminfo", null));
    }

    @Test
    void missingCallsignIsController() {
        assertThat(Designator.parse("status", null)).isEqualTo(new Designator("Controller", 0, "status", null));
        assertThat(Designator.parse("1.status", null)).isEqualTo(new Designator("Controller", 1, "status", null));
    }

    @Test
    void boundChannelSuppliesCallsign() {
        assertThat(Designator.parse("1.validate", "SecurityAgent")).isEqualTo(new Designator("SecurityAgent", 1, "validate", null));
        assertThat(Designator.parse("SecurityAgent.1.validate", "SecurityAgent").callsign()).isEqualTo("SecurityAgent");
        assertThatThrownBy(() -> Designator.parse("Other.1.validate", "SecurityAgent"))
                .isInstanceOf(JsonRpcException.class).extracting("code").isEqualTo(-31015);
    }

    @Test
    void callsignMayContainDots() {
        assertThat(Designator.parse("org.example.Box.2.go", null)).isEqualTo(new Designator("org.example.Box", 2, "go", null));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ".", "Controller.", ".status", "..status", "A..status", "A.1.", "A.255.x",
            "A.1000.x", "A.b c.x", "@x", "A.1.sta tus", "A.1.status@", "A.1.status@a@b" })
    void malformedDesignatorIsRefused(String text) {
        assertThatThrownBy(() -> Designator.parse(text, null))
                .isInstanceOf(JsonRpcException.class)
                .extracting("code").isEqualTo(-31015);
    }

    @Test
    void versionZeroIsAVersionNoInterfaceHasAsInThunder() {
        assertThatThrownBy(() -> Designator.parse("SecurityAgent.0.versions", null))
                .isInstanceOf(JsonRpcException.class)
                .extracting("code").isEqualTo(-31038);
    }
}
