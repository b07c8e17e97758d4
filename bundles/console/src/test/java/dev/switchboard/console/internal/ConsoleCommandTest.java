package dev.switchboard.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConsoleCommandTest {

    @Test
    void theAddressCarriesTheTokenInTheFragmentOnly() {
        assertThat(ConsoleCommand.url("http://127.0.0.1:9998/", "a.b.c")).isEqualTo("http://127.0.0.1:9998/Service/Controller/UI/#token=a.b.c");
        assertThat(ConsoleCommand.url("http://[::1]:9998", "a.b.c")).isEqualTo("http://[::1]:9998/Service/Controller/UI/#token=a.b.c");
    }

    @Test
    void theEndpointIsTheFirstOfWhatTheHttpRuntimeAdvertises() {
        assertThat(ConsoleCommand.firstEndpoint(new String[] {"http://127.0.0.1:9998/", "http://[::1]:9998/"}))
                .isEqualTo("http://127.0.0.1:9998/");
        assertThat(ConsoleCommand.firstEndpoint(List.of("http://host:1/"))).isEqualTo("http://host:1/");
        assertThat(ConsoleCommand.firstEndpoint("http://host:2/")).isEqualTo("http://host:2/");
        assertThat(ConsoleCommand.firstEndpoint(new String[0])).isNull();
        assertThat(ConsoleCommand.firstEndpoint(null)).isNull();
    }
}
