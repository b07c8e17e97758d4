package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigurationValuesTest {

    @Test
    void scalarsAreKeptAndIntegersWidened() {
        assertThat(ConfigurationValues.toProperty("a", "text")).isEqualTo("text");
        assertThat(ConfigurationValues.toProperty("a", true)).isEqualTo(true);
        assertThat(ConfigurationValues.toProperty("a", 5)).isEqualTo(5L);
        assertThat(ConfigurationValues.toProperty("a", 2.5)).isEqualTo(2.5);
    }

    @Test
    void listsOfScalarsBecomeStringArraysAndObjectsJsonText() {
        assertThat(ConfigurationValues.toProperty("a", List.of("x", 1))).isEqualTo(new String[] { "x", "1" });
        assertThat(ConfigurationValues.toProperty("a", Map.of("k", List.of(Map.of("n", 1)))))
                .isEqualTo("{\"k\":[{\"n\":1}]}");
    }

    @Test
    void ownPropertiesLeaveOutWhatBelongsToTheHost() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("callsign", "X");
        properties.put("startmode", "Activated");
        properties.put("service.pid", "dev.switchboard.fixture~X");
        properties.put("felix.fileinstall.filename", "file:/etc/x.cfg");
        properties.put("org.apache.karaf.features.configKey", "dev.switchboard.fixture-X");
        properties.put("greeting", "hi");
        properties.put("hosts", new String[] { "a", "b" });
        assertThat(ConfigurationValues.ownProperties(properties))
                .containsOnly(Map.entry("greeting", "hi"), Map.entry("hosts", List.of("a", "b")));
    }

    @Test
    void secretsAreMaskedUnlessEmpty() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("password", "s3cret");
        properties.put("credential", "c-r-e-d");
        properties.put("adminPassword", "x");
        properties.put("user", "postgres");
        properties.put("clientSecret", "");
        assertThat(ConfigurationValues.ownProperties(properties)).containsOnly(
                Map.entry("password", ConfigurationValues.MASK), Map.entry("credential", ConfigurationValues.MASK),
                Map.entry("adminPassword", ConfigurationValues.MASK), Map.entry("user", "postgres"),
                Map.entry("clientSecret", ""));
    }
}
