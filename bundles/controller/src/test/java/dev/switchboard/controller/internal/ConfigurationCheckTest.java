package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;

class ConfigurationCheckTest {

    /** An attribute as a metatype declares it; {@code validate} answers as Felix does for a range. */
    private static AttributeDefinition attribute(int type, String[] options, long max) {
        return new AttributeDefinition() {
            @Override public String getName() { return "x"; }
            @Override public String getID() { return "x"; }
            @Override public String getDescription() { return ""; }
            @Override public int getCardinality() { return 0; }
            @Override public int getType() { return type; }
            @Override public String[] getOptionValues() { return options; }
            @Override public String[] getOptionLabels() { return options; }
            @Override public String validate(String value) {
                return Long.parseLong(value) > max ? "greater than maximum" : "";
            }
            @Override public String[] getDefaultValue() { return null; }
        };
    }

    @Test
    void wholeNumbersMustBeWholeNumbersWithinTheRange() {
        AttributeDefinition port = attribute(AttributeDefinition.INTEGER, null, 65535);
        assertThat(ConfigurationCheck.problem(port, 1080L)).isNull();
        assertThat(ConfigurationCheck.problem(port, "1080")).isNull();
        assertThat(ConfigurationCheck.problem(port, "many")).isEqualTo("is not a whole number");
        assertThat(ConfigurationCheck.problem(port, 1.5)).isEqualTo("is not a whole number");
        assertThat(ConfigurationCheck.problem(port, true)).isEqualTo("is not a whole number");
        assertThat(ConfigurationCheck.problem(port, " ")).isEqualTo("is empty");
        assertThat(ConfigurationCheck.problem(port, 70000L)).isEqualTo("is greater than the plugin's maximum");
    }

    @Test
    void flagsAreTrueOrFalseAndChoicesOneOfTheOptionsInAnyCase() {
        AttributeDefinition flag = attribute(AttributeDefinition.BOOLEAN, null, 0);
        assertThat(ConfigurationCheck.problem(flag, true)).isNull();
        assertThat(ConfigurationCheck.problem(flag, "FALSE")).isNull();
        assertThat(ConfigurationCheck.problem(flag, "maybe")).isEqualTo("is not true or false");
        AttributeDefinition mode = attribute(AttributeDefinition.STRING, new String[] {"Activated", "Deactivated"}, 0);
        assertThat(ConfigurationCheck.problem(mode, "deactivated")).isNull();
        assertThat(ConfigurationCheck.problem(mode, "Sometimes")).isEqualTo("is not one of [Activated, Deactivated]");
        assertThat(ConfigurationCheck.problem(attribute(AttributeDefinition.STRING, null, 0), "<b>any</b>")).isNull();
    }

    @Test
    void theSummaryNamesEachKeyItsValueAndWhy() {
        assertThat(ConfigurationCheck.summary(java.util.Map.of("port", "is not a whole number"),
                java.util.Map.of("port", "many"))).isEqualTo("port = \"many\" is not a whole number");
    }
}
