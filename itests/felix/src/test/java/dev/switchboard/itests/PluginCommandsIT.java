package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The switchboard:plugins, activate, deactivate and config Gogo commands, called as a shell would. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginCommandsIT extends SwitchboardTestSupport {

    private String row(String table, String callsign) {
        return table.lines().filter(l -> l.startsWith(callsign + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + callsign + " in\n" + table));
    }

    @Test
    public void pluginsTableActivateDeactivateAndConfig() throws Exception {
        configure("fixture", "Shell", "greeting", "hi");
        awaitPlugin("Shell");
        JsonRpcClient client = client();

        String table = command("plugins");
        List<String> lines = table.lines().toList();
        assertTrue(table, lines.get(0).matches("Callsign +\\| State +\\| Startmode +\\| Classname"));
        assertTrue(table, lines.get(1).matches("-+\\+-+\\+-+\\+-+"));
        int column = lines.get(0).indexOf('|');
        lines.forEach(l -> assertEquals(table, column, l.indexOf(l.startsWith("-") ? '+' : '|')));
        assertTrue(table, row(table, "Shell").matches("Shell +\\| Activated +\\| Activated +\\| Fixture *"));
        assertTrue(table, row(table, "Controller").matches("Controller +\\| Activated +\\| Activated +\\| Controller *"));
        assertTrue(table, row(table, "DeviceInfo").contains("| Activated "));

        assertEquals("Shell deactivated", command("deactivate", "Shell"));
        assertEquals(-31002, client.call("Shell.1.echo", "{\"text\":\"x\"}").errorCode());
        assertTrue(row(command("plugins"), "Shell").contains("| Deactivated (Requested) "));
        assertEquals("Shell activated", command("activate", "Shell"));
        awaitPlugin("Shell");
        assertEquals("hi x from Shell", client.call("Shell.1.echo", "{\"text\":\"x\"}").result().asText());

        assertTrue(command("config", "Shell").lines().anyMatch(l -> l.matches("greeting +\\| hi")));
        assertEquals("Shell: greeting = hallo", command("config", "Shell", "greeting", "hallo"));
        eventually(Duration.ofSeconds(10), () -> client.call("Shell.1.echo", "{\"text\":\"x\"}").json()
                .path("result").asText().equals("hallo x from Shell"));
        assertTrue(command("config", "Shell").lines().anyMatch(l -> l.matches("greeting +\\| hallo")));

        assertTrue(command("activate", "Nobody").startsWith("error: "));
        assertTrue(command("config", "Nobody").startsWith("error: "));
        assertTrue(command("deactivate", "Controller").startsWith("error: "));
        assertTrue(command("config", "Shell", "callsign", "Other").startsWith("error: "));
    }

    @Test
    public void failedActivationShowsInTheTableAndTheCommand() throws Exception {
        configure("fixture", "Broken", "failActivation", true);
        eventually(Duration.ofSeconds(15), () -> row(command("plugins"), "Broken").contains("InitializationFailed"));
        assertTrue(row(command("plugins"), "Broken").contains("| Deactivated (InitializationFailed) | Activated "));
        String answer = command("activate", "Broken");
        assertTrue(answer, answer.startsWith("error: InitializationFailed"));
    }
}
