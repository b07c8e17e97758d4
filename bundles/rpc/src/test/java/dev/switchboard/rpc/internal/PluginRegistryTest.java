package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PluginRegistryTest {

    private final PluginRegistry registry = new PluginRegistry();

    @Test
    void theFirstServiceOfACallsignAnswersWhateverTheRankingOfALaterOne() {
        DispatcherTest.Counter first = new DispatcherTest.Counter();
        DispatcherTest.Counter later = new DispatcherTest.Counter();
        registry.bindPlugin(first, Map.of("callsign", "SecurityAgent", "service.id", 12L));
        registry.bindPlugin(later, Map.of("callsign", "SecurityAgent", "service.id", 40L, "service.ranking", 1000));
        assertThat(registry.find("SecurityAgent").plugin()).isSameAs(first);

        registry.unbindPlugin(first, Map.of("callsign", "SecurityAgent", "service.id", 12L));
        assertThat(registry.find("SecurityAgent").plugin()).isSameAs(later);
        registry.unbindPlugin(later, Map.of("callsign", "SecurityAgent", "service.id", 40L));
        assertThat(registry.find("SecurityAgent")).isNull();
    }
}
