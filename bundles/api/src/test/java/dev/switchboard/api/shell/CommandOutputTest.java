package dev.switchboard.api.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandOutputTest {

    private final PrintStream original = System.out;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(original);
    }

    @Test
    void everyAnswerEndsWithOneLineBreakSoThatTheNextOneStartsOnALineOfItsOwn() {
        CommandOutput.print("Panel activated");
        CommandOutput.print("Callsign | State\n---------+------\n");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .isEqualTo("Panel activated\nCallsign | State\n---------+------\n");
    }
}
