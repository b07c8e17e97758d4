package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

import dev.switchboard.api.jsonrpc.JsonRpcException;

class HostFactsTest {

    private final HostFacts host = new HostFacts(new Version(1, 2, 3, "SNAPSHOT"), Map.of("HOME", "/home/sb")::get);

    @Test
    void theFrameworkVersionIsTheHostsWithoutItsQualifier() {
        assertThat(host.framework()).isEqualTo(new JController.FrameworkVersion(1, 2, 3));
    }

    @Test
    void anEnvironmentVariableIsAnsweredAndAMissingOneIsAnUnknownKey() {
        assertThat(host.environment("HOME")).isEqualTo("/home/sb");
        assertThatThrownBy(() -> host.environment("NOT_SET")).isInstanceOf(JsonRpcException.class)
                .extracting("code").isEqualTo(-31022);
        for (String nameless : new String[] {null, ""}) {
            assertThatThrownBy(() -> host.environment(nameless)).isInstanceOf(JsonRpcException.class)
                    .extracting("code").isEqualTo(-32602);
        }
    }

    @Test
    void theSystemTypeIsOneOfThunders() {
        assertThat(HostFacts.systemType("Linux")).isEqualTo("Linux");
        assertThat(HostFacts.systemType("Mac OS X")).isEqualTo("MacOS");
        assertThat(HostFacts.systemType("Windows 11")).isEqualTo("Windows");
        assertThat(HostFacts.buildInfo(4, 30_000).threadpoolcount()).isEqualTo(4);
        assertThat(HostFacts.buildInfo(4, 30_000).comrpctimeout()).isEqualTo(30_000);
    }

    @Test
    void aKindsClassnameIsItsPluginClassWithoutPlugin() {
        assertThat(PluginStatusReader.classname("dev.switchboard.securityagent.internal.SecurityAgentPlugin"))
                .isEqualTo("SecurityAgent");
        assertThat(PluginStatusReader.classname("dev.switchboard.sessions.internal.SessionsPlugin")).isEqualTo("Sessions");
        assertThat(PluginStatusReader.classname("a.b.Plugin")).isEqualTo("Plugin");
        assertThat(PluginStatusReader.classname("Odd")).isEqualTo("Odd");
    }
}
