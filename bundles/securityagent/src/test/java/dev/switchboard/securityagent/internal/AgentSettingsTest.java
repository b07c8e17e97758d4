package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.switchboard.api.config.Settings;

/** Every kind of mistake in the SecurityAgent configuration keeps the safe value and is named in one line. */
class AgentSettingsTest {

    private static final String PID = "dev.switchboard.securityagent~SecurityAgent";

    private Settings settings;

    private AgentSettings read(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        settings = new Settings(PID, properties);
        return AgentSettings.read(settings);
    }

    @Test
    void theDefaultsWhenNothingIsSet() {
        AgentSettings config = read();
        assertThat(config).isEqualTo(new AgentSettings("SecurityAgent", "etc/acl.json", "etc/acl.d",
                "data/securityagent/token.sock", "data/securityagent/keys.json", "data/securityagent/revoked.json",
                86400, false, 4096, List.of("Controller.1.exists")));
        assertThat(settings.rejections()).isEmpty();
    }

    @Test
    void valuesAreTakenTypedOrAsText() {
        AgentSettings config = read("tokenLifetimeSeconds", "60", "acceptTokensWithoutExpiry", "TRUE",
                "maxTokenBytes", 256, "keyFile", "/var/lib/sb/keys.json");
        assertThat(config.tokenLifetimeSeconds()).isEqualTo(60);
        assertThat(config.acceptTokensWithoutExpiry()).isTrue();
        assertThat(config.maxTokenBytes()).isEqualTo(256);
        assertThat(config.keyFile()).isEqualTo("/var/lib/sb/keys.json");
        assertThat(settings.rejections()).isEmpty();
    }

    @Test
    void aSecurityBooleanThatIsNotTrueOrFalseKeepsTokensWithoutExpiryRefused() {
        for (Object value : new Object[] {"maybe", "yes", "1", ""}) {
            assertThat(read("acceptTokensWithoutExpiry", value).acceptTokensWithoutExpiry()).as("%s", value).isFalse();
            assertThat(settings.rejections()).containsExactly("Configuration " + PID
                    + ": acceptTokensWithoutExpiry = \"" + value + "\" is not true or false; keeping false");
        }
    }

    @Test
    void aNumberOfTheWrongTypeKeepsTheDefault() {
        AgentSettings config = read("tokenLifetimeSeconds", "a day", "maxTokenBytes", 4096.5);
        assertThat(config.tokenLifetimeSeconds()).isEqualTo(86400);
        assertThat(config.maxTokenBytes()).isEqualTo(4096);
        assertThat(settings.rejections()).containsExactlyInAnyOrder(
                "Configuration " + PID + ": tokenLifetimeSeconds = \"a day\" is not a whole number; keeping 86400",
                "Configuration " + PID + ": maxTokenBytes = \"4096.5\" is not a whole number; keeping 4096");
    }

    @Test
    void aNumberOutOfRangeKeepsTheDefault() {
        AgentSettings config = read("tokenLifetimeSeconds", 0L, "maxTokenBytes", -5);
        assertThat(config.tokenLifetimeSeconds()).isEqualTo(86400);
        assertThat(config.maxTokenBytes()).isEqualTo(4096);
        assertThat(settings.rejections()).containsExactlyInAnyOrder(
                "Configuration " + PID + ": tokenLifetimeSeconds = \"0\" is outside 1..31536000; keeping 86400",
                "Configuration " + PID + ": maxTokenBytes = \"-5\" is outside 256..65536; keeping 4096");
    }

    @Test
    void anEmptyValueKeepsTheDefault() {
        AgentSettings config = read("tokenLifetimeSeconds", " ", "keyFile", "", "acl", "  ");
        assertThat(config.tokenLifetimeSeconds()).isEqualTo(86400);
        assertThat(config.keyFile()).isEqualTo("data/securityagent/keys.json");
        assertThat(config.acl()).isEqualTo("etc/acl.json");
        assertThat(settings.rejections()).hasSize(3).allMatch(line -> line.contains(" is empty; keeping "));
    }

    @Test
    void aMisspeltKeyIsNamed() {
        read("acceptTokensWithoutExpiery", true, "callsign", "SecurityAgent", "startmode", "Activated");
        assertThat(settings.unknownKeyWarnings(SecurityAgentPlugin.Config.class)).containsExactly(
                "Configuration " + PID + ": unknown key \"acceptTokensWithoutExpiery\" is ignored");
    }

    /** The metatype bnd generated from {@link SecurityAgentPlugin.Config}: each range's ends taken, one past refused. */
    @Test
    void theMetatypeRangesAreTheOnesTheCodeAccepts() throws Exception {
        NodeList attributes;
        try (InputStream in = getClass().getResourceAsStream(
                "/OSGI-INF/metatype/dev.switchboard.securityagent.internal.SecurityAgentPlugin$Config.xml")) {
            attributes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getElementsByTagName("AD");
        }
        int ranged = 0;
        for (int i = 0; i < attributes.getLength(); i++) {
            Element attribute = (Element) attributes.item(i);
            if (attribute.hasAttribute("min")) {
                ranged++;
                String key = attribute.getAttribute("id");
                long min = Long.parseLong(attribute.getAttribute("min"));
                long max = Long.parseLong(attribute.getAttribute("max"));
                for (long refused : new long[] {min - 1, max + 1}) {
                    read(key, refused);
                    assertThat(settings.rejections()).as("%s = %d", key, refused).hasSize(1);
                }
                for (long taken : new long[] {min, max}) {
                    read(key, taken);
                    assertThat(settings.rejections()).as("%s = %d", key, taken).isEmpty();
                }
            }
        }
        assertThat(ranged).isEqualTo(2);
    }

    @Test
    void openMethodsAreDesignatorsAndOneBadEntryKeepsOnlyThunders() {
        assertThat(read("openMethods", new String[] {"Controller.1.exists", "SecurityAgent.validate"}).openMethods())
                .containsExactly("Controller.1.exists", "SecurityAgent.validate");
        assertThat(settings.rejections()).isEmpty();
        for (Object bad : new Object[] {new String[] {"SecurityAgent.validate", "validate"}, "*.exists",
            "Controller.0.exists", "Controller.exists@x", 7}) {
            assertThat(read("openMethods", bad).openMethods()).as("%s", bad).containsExactly("Controller.1.exists");
            assertThat(settings.rejections()).hasSize(1).allMatch(line -> line.contains("openMethods")
                    && line.endsWith("keeping [Controller.1.exists]"));
        }
    }
}
