package dev.switchboard.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void controlCharactersCannotStartANewLineOrReachTheLogRaw() {
        String quoted = LogText.quote("a\nINFO forged\r\u0000\u001b[31m\u2028\"\\");

        assertThat(quoted).isEqualTo("\"a\\nINFO forged\\r\\u0000\\u001b[31m\\u2028\\\"\\\\\"");
        assertThat(quoted.chars().noneMatch(Character::isISOControl)).isTrue();
    }

    @Test
    void aLongValueIsCutToItsFirstCharactersAndItsLength() {
        String quoted = LogText.quote("x".repeat(1_000_000));

        assertThat(quoted).isEqualTo("\"" + "x".repeat(LogText.MAX_CHARS) + "\"...(1000000 chars)");
    }

    @Test
    void anOrdinaryValueIsOnlyQuoted() {
        assertThat(LogText.quote("DeviceInfo.1.systeminfo")).isEqualTo("\"DeviceInfo.1.systeminfo\"");
        assertThat(LogText.quote(null)).isEqualTo("null");
    }
}
