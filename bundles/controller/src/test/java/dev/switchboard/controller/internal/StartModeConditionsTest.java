package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.condition.Condition;

class StartModeConditionsTest {

    private final List<Dictionary<String, Object>> live = new ArrayList<>();
    private final StartModeConditions conditions = new StartModeConditions(properties -> {
        live.add(properties);
        return () -> live.remove(properties);
    });

    @Test
    void aConditionNamesItsConfigurationAndCallsignAndIsRegisteredOnce() {
        conditions.register("dev.switchboard.deviceinfo~a", "DeviceInfo");
        conditions.register("dev.switchboard.deviceinfo~a", "DeviceInfo");

        assertThat(live).singleElement().satisfies(properties -> {
            assertThat(properties.get(Condition.CONDITION_ID)).isEqualTo(StartModeConditions.CONDITION_ID);
            assertThat(properties.get(StartModeConditions.CONDITION_PID)).isEqualTo("dev.switchboard.deviceinfo~a");
            assertThat(properties.get("callsign")).isEqualTo("DeviceInfo");
        });
        assertThat(conditions.isRegistered("dev.switchboard.deviceinfo~a")).isTrue();
    }

    @Test
    void withdrawingStopsOnlyThatInstanceAndTwiceIsHarmless() {
        conditions.register("kind~a", "A");
        conditions.register("kind~b", "B");

        conditions.withdraw("kind~a");
        conditions.withdraw("kind~a");

        assertThat(live).singleElement().satisfies(p -> assertThat(p.get("callsign")).isEqualTo("B"));
        assertThat(conditions.isRegistered("kind~a")).isFalse();
        conditions.withdrawAll();
        assertThat(live).isEmpty();
    }

    @Test
    void theFilterMatchesOnlyTheConditionOfItsOwnConfigurationEvenWithFilterCharactersInThePid() throws Exception {
        String pid = "kind~a*(b)\\";
        conditions.register(pid, "A");
        conditions.register("kind~a", "B");

        var filter = FrameworkUtil.createFilter(StartModeConditions.conditionFilter(pid));

        assertThat(live).filteredOn(filter::match).singleElement()
                .satisfies(p -> assertThat(p.get("callsign")).isEqualTo("A"));
    }

    @Test
    void pluginKindsWaitForTheirConditionButTheControllerDoesNot() {
        assertThat(StartModeConditions.isManagedKind("dev.switchboard.deviceinfo")).isTrue();
        assertThat(StartModeConditions.isManagedKind("dev.switchboard.controller")).isFalse();
        assertThat(StartModeConditions.isPluginKind("dev.switchboard.controller")).isTrue();
        assertThat(StartModeConditions.isPluginKind("org.apache.felix.http")).isFalse();
    }
}
