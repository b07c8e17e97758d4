package dev.switchboard.sessions.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a PostgreSQL variant only where the local server answers, so that the suite runs on a
 * machine without one; says once that the variants are skipped. Where {@code SWITCHBOARD_REQUIRE_POSTGRES}
 * is set (as CI does, after starting the server), a missing server fails these tests instead.
 */
final class PostgresAvailable implements ExecutionCondition {

    static final String REQUIRED = "SWITCHBOARD_REQUIRE_POSTGRES";
    private static final AtomicBoolean SAID = new AtomicBoolean();
    private static volatile String unreachable;
    private static volatile boolean probed;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = whyUnreachable();
        if (why == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers on " + TestDatabases.PG_SERVER);
        }
        if (required()) {
            throw new IllegalStateException(REQUIRED + " is set but PostgreSQL does not answer on "
                    + TestDatabases.PG_SERVER + ": " + why);
        }
        String line = "PostgreSQL does not answer on " + TestDatabases.PG_SERVER + " (" + why
                + "): its variants are skipped; set " + REQUIRED + "=true to make that a failure";
        if (SAID.compareAndSet(false, true)) {
            System.err.println(line);
        }
        return ConditionEvaluationResult.disabled(line);
    }

    static boolean required() {
        String value = System.getenv(REQUIRED);
        return value != null && !value.isBlank() && !"false".equalsIgnoreCase(value);
    }

    private static synchronized String whyUnreachable() {
        if (!probed) {
            probed = true;
            DriverManager.setLoginTimeout(5);
            try (Connection c = DriverManager.getConnection(TestDatabases.PG_SERVER, TestDatabases.PG_USER, "")) {
                unreachable = null;
            } catch (SQLException e) {
                unreachable = String.valueOf(e.getMessage());
            }
        }
        return unreachable;
    }
}
