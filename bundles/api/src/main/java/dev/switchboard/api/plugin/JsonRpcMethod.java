package dev.switchboard.api.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JSON-RPC method of a {@link JsonRpcInterface}.
 *
 * <p>The Java method may take, in any order: one parameter bound from the request's
 * {@code params} with Jackson (a record, usually), one {@link Index} string, and one
 * {@link Caller}. Its result is serialized with Jackson; {@code void} answers {@code null}. It
 * throws {@link dev.switchboard.api.jsonrpc.JsonRpcException} to answer an error.
 *
 * <p>A property (Thunder's {@code configuration@Callsign}) is two Java methods with the same
 * name and {@link #property()} set: the one without a params parameter answers a get (a request
 * without params), the one with a params parameter answers a set.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface JsonRpcMethod {
    /** The JSON-RPC method name; the Java method name when empty. */
    String value() default "";

    /** Whether this is the get or set half of a property. */
    boolean property() default false;
}
