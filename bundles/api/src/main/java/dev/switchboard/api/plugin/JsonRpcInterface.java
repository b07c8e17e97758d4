package dev.switchboard.api.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java interface as a JSON-RPC interface of the plugins that implement it, for example
 * {@code @JsonRpcInterface(name = "JDeviceInfo", major = 1)}. The major version is the number in a
 * designator such as {@code DeviceInfo.1.systeminfo}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface JsonRpcInterface {
    /** Thunder interface name, answered by {@code versions}. */
    String name();

    int major();

    int minor() default 0;

    int patch() default 0;
}
