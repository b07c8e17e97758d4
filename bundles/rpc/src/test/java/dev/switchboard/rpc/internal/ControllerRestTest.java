package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ControllerRestTest {

    @Test
    void eachPathIsTheJsonRpcCallItMirrors() {
        assertThat(route().request().get("method").asText()).isEqualTo("Controller.1.status");
        assertThat(route().methods()).containsExactly("GET", "OPTIONS");
        assertThat(route("Plugin", "DeviceInfo").request().get("method").asText()).isEqualTo("Controller.1.status@DeviceInfo");
        ControllerRest.Route activate = route("Activate", "Box");
        assertThat(activate.request().get("method").asText()).isEqualTo("Controller.1.activate");
        assertThat(activate.request().get("params").get("callsign").asText()).isEqualTo("Box");
        assertThat(activate.methods()).containsExactly("PUT", "OPTIONS");
        assertThat(route("Deactivate", "Box").request().get("method").asText()).isEqualTo("Controller.1.deactivate");
        assertThat(route("Persist").request().get("method").asText()).isEqualTo("Controller.1.persist");
    }

    @Test
    void anythingElseNamesNothing() {
        for (List<String> path : List.of(List.of("Plugin"), List.of("Plugin", ""), List.of("Plugin", "a b"),
                List.of("Plugin", "a@b"), List.of("Plugin", "\u00e9t\u00e9"), List.of("plugin", "Box"),
                List.of("Activate", "Box", "more"), List.of("Persist", "now"), List.of("Links"), List.of(""))) {
            assertThat(ControllerRest.route(path)).as(path.toString()).isNull();
        }
    }

    @Test
    void errorsBecomeTheStatusTheyStandFor() {
        assertThat(ControllerRest.status(-32604, true)).isEqualTo(401);
        assertThat(ControllerRest.status(-32604, false)).isEqualTo(403);
        assertThat(ControllerRest.status(-31022, false)).isEqualTo(404);
        assertThat(ControllerRest.status(-31043, false)).isEqualTo(404);
        assertThat(ControllerRest.status(-32602, false)).isEqualTo(400);
        assertThat(ControllerRest.status(-32601, false)).isEqualTo(501);
        assertThat(ControllerRest.status(-32000, false)).isEqualTo(504);
        assertThat(ControllerRest.status(-32001, false)).isEqualTo(503);
        assertThat(ControllerRest.status(-31005, false)).isEqualTo(409);
        assertThat(ControllerRest.status(-32603, false)).isEqualTo(500);
    }

    private static ControllerRest.Route route(String... segments) {
        return ControllerRest.route(List.of(segments));
    }
}
