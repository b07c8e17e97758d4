package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** A mistake in etc/dev.switchboard.rpc.cfg keeps the safe value: enforcement stays on, limits stay as they were. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RpcSettingsIT extends SwitchboardTestSupport {

    @Test
    public void enforceMaybeKeepsCallsWithoutATokenRefused() throws Exception {
        awaitPlugin("DeviceInfo");
        JsonRpcClient client = client();
        assertEquals("enforcement is off to begin with", 200, client.call("DeviceInfo.1.versions", null).status());

        writeEtc("dev.switchboard.rpc.cfg", "enforce = maybe\nmaxRequestBytes = -5\n");
        eventually(Duration.ofSeconds(30), () -> client.call("DeviceInfo.1.versions", null).status() == 401);
        assertEquals(-32604, client.call("DeviceInfo.1.versions", null).errorCode());
        // maxRequestBytes = -5 was not taken: a request of some size is still answered
        JsonRpcClient.Reply exists = client.call("Controller.1.exists", "{\"method\":\"status\",\"pad\":\"" + "p".repeat(4096) + "\"}");
        assertEquals(200, exists.status());
        assertTrue(exists.result().asBoolean());
    }
}
