package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.Plugin;

/** What status a plugin instance shows, from what the Controller and SCR know of it. */
class PluginStatusReaderTest {

    private static final String KIND = "dev.switchboard.fixture";
    private static final String PID = KIND + "~one";
    private static final CallsignClaims.Claim CLAIM = new CallsignClaims.Claim(PID, "Fixture", null);

    @JsonRpcInterface(name = "JFixture", major = 1, minor = 2)
    public interface FixtureApi {
    }

    public static final class Fixture implements Plugin, FixtureApi {
    }

    private static Dictionary<String, Object> properties(String startmode) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("service.pid", PID);
        properties.put("service.factoryPid", KIND);
        properties.put("callsign", "Fixture");
        properties.put("colour", "blue");
        if (startmode != null) {
            properties.put("startmode", startmode);
        }
        return properties;
    }

    private static PluginStatusReader.Facts facts(String startmode, CallsignClaims.Claim heldBy, boolean condition) {
        return new PluginStatusReader.Facts(KIND, properties(startmode), CLAIM, heldBy, "Requested", condition);
    }

    private static ComponentDescriptionDTO kind() {
        ComponentDescriptionDTO kind = new ComponentDescriptionDTO();
        kind.bundle = new BundleDTO();
        kind.bundle.symbolicName = "dev.switchboard.fixture";
        kind.implementationClass = Fixture.class.getName();
        return kind;
    }

    private static ComponentConfigurationDTO instance(int state) {
        ComponentConfigurationDTO instance = new ComponentConfigurationDTO();
        instance.description = kind();
        instance.state = state;
        instance.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        return instance;
    }

    @Test
    void aRunningInstanceIsActivatedWithItsInterfacesAndOwnConfiguration() {
        var status = PluginStatusReader.status(facts(null, null, true), instance(ComponentConfigurationDTO.ACTIVE),
                kind(), Fixture.class);

        assertThat(status.state()).isEqualTo("Activated");
        assertThat(status.reason()).isEqualTo("Requested");
        assertThat(status.startmode()).isEqualTo("Activated");
        assertThat(status.locator()).isEqualTo("dev.switchboard.fixture");
        assertThat(status.classname()).as("Thunder's class name: the class without Plugin").isEqualTo("Fixture");
        assertThat(status.version()).singleElement().satisfies(v -> assertThat(v.name()).isEqualTo("JFixture"));
        assertThat(status.configuration()).containsEntry("colour", "blue").doesNotContainKey("service.pid");
    }

    @Test
    void aCallsignHeldByAnotherConfigurationIsUnavailableNamingTheHolder() {
        var holder = new CallsignClaims.Claim(KIND + "~zero", "Fixture", "etc/fixture.cfg");
        var status = PluginStatusReader.status(facts(null, holder, false), null, kind(), Fixture.class);

        assertThat(status.state()).isEqualTo("Unavailable");
        assertThat(status.reason()).isEqualTo("InstantiationFailed");
        assertThat(status.locator()).isEqualTo("dev.switchboard.fixture");
        assertThat(status.detail()).contains(KIND + "~zero", "etc/fixture.cfg");
        assertThat(status.version()).isEmpty();
    }

    @Test
    void aKindNoBundleProvidesIsUnavailableNamingTheKind() {
        var status = PluginStatusReader.status(facts(null, null, true), null, null, null);

        assertThat(status.state()).isEqualTo("Unavailable");
        assertThat(status.reason()).isEqualTo("InstantiationFailed");
        assertThat(status.classname()).as("the kind as configured").isEqualTo("fixture");
        assertThat(status.locator()).isNull();
    }

    @Test
    void aFailedActivationIsDeactivatedWithItsDeepestCause() {
        ComponentConfigurationDTO failed = instance(ComponentConfigurationDTO.FAILED_ACTIVATION);
        failed.failure = "org.osgi.service.component.ComponentException: x\nCaused by: java.io.IOException: no port\n";

        var status = PluginStatusReader.status(facts(null, null, true), failed, kind(), Fixture.class);

        assertThat(status.state()).isEqualTo("Deactivated");
        assertThat(status.reason()).isEqualTo(PluginStatusReader.INITIALIZATION_FAILED);
        assertThat(status.detail()).isEqualTo("java.io.IOException: no port");
    }

    @Test
    void anInstanceAllowedToRunButWaitingIsInPreconditionNamingWhatItWaitsFor() {
        ComponentConfigurationDTO waiting = instance(ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO reference = new UnsatisfiedReferenceDTO();
        reference.name = "sessions";
        waiting.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {reference};

        var status = PluginStatusReader.status(facts(null, null, true), waiting, kind(), Fixture.class);

        assertThat(status.state()).isEqualTo("Precondition");
        assertThat(status.detail()).isEqualTo("waiting for sessions");
    }

    @Test
    void anInstanceWithoutItsConditionIsDeactivatedOrUnavailableAsItsStartModeSays() {
        assertThat(PluginStatusReader.status(facts("Deactivated", null, false), null, kind(), Fixture.class).state())
                .isEqualTo("Deactivated");
        assertThat(PluginStatusReader.status(facts("Unavailable", null, false), null, kind(), Fixture.class).state())
                .isEqualTo("Unavailable");
        var misspelt = PluginStatusReader.status(facts("Sometimes", null, false), null, kind(), Fixture.class);
        assertThat(misspelt.state()).isEqualTo("Deactivated");
        assertThat(misspelt.startmode()).isEqualTo("Deactivated");
    }
}
