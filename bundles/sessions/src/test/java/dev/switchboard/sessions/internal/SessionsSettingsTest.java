package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.switchboard.api.config.Settings;

/** Every kind of mistake in the Sessions configuration keeps the default and is named in one line. */
class SessionsSettingsTest {

    private Settings settings;

    private SessionsSettings read(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        settings = new Settings("dev.switchboard.sessions~Sessions", properties);
        return SessionsSettings.read(settings, properties);
    }

    @Test
    void theDefaultsWhenNothingIsSet() {
        SessionsSettings config = read();
        assertThat(config.embedded()).isTrue();
        assertThat(config.dataDir()).isEqualTo("data/sessions");
        assertThat(config.poolSize()).isEqualTo(8);
        assertThat(config.connectionTimeoutMs()).isEqualTo(5000);
        assertThat(config.billingPeriodSeconds()).isEqualTo(5);
        assertThat(config.staleSessionSeconds()).isEqualTo(900);
        assertThat(config.passwordIterations()).isEqualTo(Secrets.ITERATIONS);
        assertThat(settings.rejections()).isEmpty();
    }

    @Test
    void valuesInRangeAreTakenTypedOrAsText() {
        SessionsSettings config = read("poolSize", "16", "connectionTimeoutMs", 250L, "billingPeriodSeconds", 0,
                "staleSessionSeconds", "60", "passwordIterations", 20_000, "dataDir", "/var/lib/sessions",
                "jdbcUrl", "jdbc:postgresql://db/test", "user", "app", "password", "");
        assertThat(config.poolSize()).isEqualTo(16);
        assertThat(config.connectionTimeoutMs()).isEqualTo(250);
        assertThat(config.billingPeriodSeconds()).isZero();
        assertThat(config.staleSessionSeconds()).isEqualTo(60);
        assertThat(config.passwordIterations()).isEqualTo(20_000);
        assertThat(config.dataDir()).isEqualTo("/var/lib/sessions");
        assertThat(config.embedded()).isFalse();
        assertThat(config.user()).isEqualTo("app");
        assertThat(settings.rejections()).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeKeepsTheDefault() {
        SessionsSettings config = read("poolSize", "eight", "billingPeriodSeconds", 2.5);
        assertThat(config.poolSize()).isEqualTo(8);
        assertThat(config.billingPeriodSeconds()).isEqualTo(5);
        assertThat(settings.rejections()).containsExactly(
                "Configuration dev.switchboard.sessions~Sessions: poolSize = \"eight\" is not a whole number; keeping 8",
                "Configuration dev.switchboard.sessions~Sessions: billingPeriodSeconds = \"2.5\" is not a whole number;"
                        + " keeping 5");
    }

    @Test
    void aValueOutOfRangeKeepsTheDefault() {
        SessionsSettings config = read("poolSize", 0, "connectionTimeoutMs", -5, "staleSessionSeconds", "-1",
                "passwordIterations", 1000, "billingPeriodSeconds", 100_000);
        assertThat(config.poolSize()).isEqualTo(8);
        assertThat(config.connectionTimeoutMs()).isEqualTo(5000);
        assertThat(config.staleSessionSeconds()).isEqualTo(900);
        assertThat(config.passwordIterations()).isEqualTo(Secrets.ITERATIONS);
        assertThat(config.billingPeriodSeconds()).isEqualTo(5);
        assertThat(settings.rejections()).hasSize(5).allMatch(line -> line.contains(" is outside "));
        assertThat(settings.rejections().get(0)).contains("poolSize = \"0\" is outside 1..200; keeping 8");
    }

    @Test
    void anEmptyValueKeepsTheDefaultAndAnEmptyUrlIsTheEmbeddedDatabase() {
        SessionsSettings config = read("poolSize", "", "dataDir", " ", "jdbcUrl", " ");
        assertThat(config.poolSize()).isEqualTo(8);
        assertThat(config.dataDir()).isEqualTo("data/sessions");
        assertThat(config.embedded()).isTrue();
        assertThat(settings.rejections()).containsExactlyInAnyOrder(
                "Configuration dev.switchboard.sessions~Sessions: poolSize = \"\" is empty; keeping 8",
                "Configuration dev.switchboard.sessions~Sessions: dataDir = \" \" is empty; keeping data/sessions");
    }

    @Test
    void anotherDatabaseUrlIsRefusedWithItsPasswordMasked() {
        SessionsSettings config = read("jdbcUrl", "jdbc:mysql://db/test?password=secret");
        assertThat(config.jdbcUrl()).isNull();
        assertThat(settings.rejections()).containsExactly("Configuration dev.switchboard.sessions~Sessions: jdbcUrl ="
                + " \"jdbc:mysql://db/test?password=***\" is neither jdbc:h2: nor jdbc:postgresql:; keeping no database");
    }

    @Test
    void aMisspeltKeyIsNamed() {
        read("poolsize", 4, "callsign", "Sessions", "startmode", "Activated", "service.pid", "x");
        assertThat(settings.unknownKeyWarnings(SessionsPlugin.Config.class)).containsExactly(
                "Configuration dev.switchboard.sessions~Sessions: unknown key \"poolsize\" is ignored");
    }

    /** The metatype bnd generated from {@link SessionsPlugin.Config}: each range's ends taken, one past refused. */
    @Test
    void theMetatypeRangesAreTheOnesTheCodeAccepts() throws Exception {
        Document metatype;
        try (InputStream in = getClass().getResourceAsStream(
                "/OSGI-INF/metatype/dev.switchboard.sessions.internal.SessionsPlugin$Config.xml")) {
            metatype = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        NodeList attributes = metatype.getElementsByTagName("AD");
        int ranged = 0;
        for (int i = 0; i < attributes.getLength(); i++) {
            Element attribute = (Element) attributes.item(i);
            if (!attribute.hasAttribute("min")) {
                continue;
            }
            ranged++;
            String key = attribute.getAttribute("id");
            long min = Long.parseLong(attribute.getAttribute("min"));
            long max = Long.parseLong(attribute.getAttribute("max"));
            read(key, min - 1, "jdbcUrl", "");
            assertThat(settings.rejections()).as(key + " below " + min).hasSize(1);
            read(key, min);
            assertThat(settings.rejections()).as(key + " = " + min).isEmpty();
            read(key, String.valueOf(max));
            assertThat(settings.rejections()).as(key + " = " + max).isEmpty();
            read(key, max + 1);
            assertThat(settings.rejections()).as(key + " above " + max).hasSize(1);
        }
        assertThat(ranged).isEqualTo(5);
    }
}
