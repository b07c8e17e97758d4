package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

/** The plugin health check, run by the Felix Health Check executor of the launcher's bundles. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HealthCheckIT extends SwitchboardTestSupport {

    private Result.Status executorStatus() throws Exception {
        ServiceReference<HealthCheckExecutor> reference = context.getServiceReference(HealthCheckExecutor.class);
        assertTrue("the Felix Health Check executor runs", reference != null);
        HealthCheckExecutor executor = context.getService(reference);
        try {
            List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags("switchboard"));
            assertEquals(1, results.size());
            assertEquals("Switchboard plugins", results.get(0).getHealthCheckMetadata().getName());
            return results.get(0).getHealthCheckResult().getStatus();
        } finally {
            context.ungetService(reference);
        }
    }

    private Result check() throws Exception {
        ServiceReference<?>[] found = context.getServiceReferences(HealthCheck.class.getName(), "(hc.name=Switchboard plugins)");
        HealthCheck check = (HealthCheck) context.getService(found[0]);
        try {
            return check.execute();
        } finally {
            context.ungetService(found[0]);
        }
    }

    @Test
    public void criticalWhileAPluginFailsToActivateOkOnceItRuns() throws Exception {
        awaitPlugin("DeviceInfo");
        eventually(Duration.ofSeconds(15), () -> check().getStatus() == Result.Status.OK);
        eventually(Duration.ofSeconds(15), () -> executorStatus() == Result.Status.OK);

        configure("fixture", "Failing", "failActivation", true);
        eventually(Duration.ofSeconds(15), () -> check().getStatus() == Result.Status.CRITICAL);
        assertTrue(check().toString(), check().toString().contains("Failing failed to activate"));
        eventually(Duration.ofSeconds(15), () -> executorStatus() == Result.Status.CRITICAL);

        configure("fixture", "Failing", "failActivation", false);
        awaitPlugin("Failing");
        eventually(Duration.ofSeconds(15), () -> check().getStatus() == Result.Status.OK);
        eventually(Duration.ofSeconds(15), () -> executorStatus() == Result.Status.OK);
    }
}
