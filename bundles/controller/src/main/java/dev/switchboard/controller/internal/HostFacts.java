package dev.switchboard.controller.internal;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.osgi.framework.Version;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;

/** What the Controller tells of the host itself: its version, its build, its environment. */
final class HostFacts {

    private final Version version;
    private final UnaryOperator<String> environment;

    /**
     * @param version     the host's version (the launcher's {@code switchboard.version}, else the Controller bundle's)
     * @param environment the process environment, by variable name
     */
    HostFacts(Version version, UnaryOperator<String> environment) {
        this.version = version;
        this.environment = environment;
    }

    JController.FrameworkVersion framework() {
        return new JController.FrameworkVersion(version.getMajor(), version.getMinor(), version.getMicro());
    }

    String environment(String variable) {
        if (variable == null || variable.isEmpty()) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "name the variable: environment@<name>");
        }
        String value = environment.apply(variable);
        if (value == null) {
            throw new JsonRpcException(ErrorCode.UNKNOWN_KEY.code(), ErrorCode.UNKNOWN_KEY.message(),
                    "no environment variable " + variable);
        }
        return value;
    }

    /**
     * Thunder's build facts, answered for a Java host: exceptions a plugin throws are caught; messaging and
     * deadlock detection are Thunder features it does not have.
     *
     * @param threads       the transport's call threads
     * @param timeoutMillis the transport's call timeout
     */
    static JController.BuildInfo buildInfo(int threads, long timeoutMillis) {
        return new JController.BuildInfo(systemType(System.getProperty("os.name", "")), "Release", List.of(), false,
                true, false, false, Integer.getInteger("sun.arch.data.model", 64), threads, timeoutMillis);
    }

    /** Thunder knows Linux, MacOS and Windows. */
    static String systemType(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return "Windows";
        }
        return name.startsWith("mac") ? "MacOS" : "Linux";
    }
}
