package dev.switchboard.api.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void tableAlignsColumnsUnderAnUnderlinedHeader() {
        String table = Table.format(List.of("Callsign", "State", "Startmode", "Classname"), List.of(
                List.of("Controller", "activated", "Activated", "dev.switchboard.controller.internal.ControllerPlugin"),
                List.of("Box", "deactivated (InitializationFailed)", "Activated", "dev.switchboard.fixture")));
        assertThat(table).isEqualTo(""
                + "Callsign   | State                              | Startmode | Classname\n"
                + "-----------+------------------------------------+-----------+-" + "-".repeat(52) + "\n"
                + "Controller | activated                          | Activated | dev.switchboard.controller.internal.ControllerPlugin\n"
                + "Box        | deactivated (InitializationFailed) | Activated | dev.switchboard.fixture\n");
    }

    @Test
    void everyLineOfATableHasItsSeparatorsInTheSameColumns() {
        String table = Table.format(List.of("A", "Bee"), List.of(List.of("long value", "x"), List.of("", "")));
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4);
        int column = lines.get(0).indexOf('|');
        assertThat(column).isEqualTo("long value ".length());
        assertThat(lines.get(1).indexOf('+')).isEqualTo(column);
        assertThat(lines.get(2).indexOf('|')).isEqualTo(column);
        assertThat(lines.get(3)).isEqualTo("           | ");
    }

    @Test
    void headerOnlyWhenThereAreNoRows() {
        assertThat(Table.format(List.of("Key", "Value"), List.of())).isEqualTo("Key | Value\n----+------\n");
    }
}
