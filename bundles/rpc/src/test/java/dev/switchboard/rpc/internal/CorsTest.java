package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CorsTest {

    @Test
    void anyOrAListOfOrigins() {
        assertThat(Cors.parse("*")).isEqualTo(Cors.ANY);
        assertThat(Cors.parse("https://a.example, *")).isEqualTo(Cors.ANY);
        Cors two = Cors.parse(" https://A.example:8443  http://localhost:3000 ");
        assertThat(two.allows("https://a.example:8443")).isTrue();
        assertThat(two.allows("HTTP://LOCALHOST:3000")).isTrue();
        assertThat(two.allows("https://a.example")).isFalse();
        assertThat(two.allows(null)).isFalse();
        assertThat(Cors.ANY.allows(null)).isTrue();
    }

    @Test
    void anEntryThatIsNoOriginIsRefusedByName() {
        for (String bad : new String[] {"a.example", "https://a.example/", "https://*.example", "null", "https://a b"}) {
            assertThatThrownBy(() -> Cors.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("neither * nor an origin");
        }
    }
}
