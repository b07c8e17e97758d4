package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluginKindsTest {

    @Test
    void anActivationFailureIsItsDeepestCauseWithoutTheStackTrace() {
        String failure = """
                org.osgi.service.component.ComponentException: activate failed
                \tat org.apache.felix.scr.impl.Foo.bar(Foo.java:1)
                Caused by: java.lang.reflect.InvocationTargetException
                \tat java.base/Method.invoke(Method.java:2)
                Caused by: java.lang.IllegalStateException: fixture configured to fail its activation
                \tat dev.switchboard.Fixture.activate(Fixture.java:3)
                """;
        assertThat(PluginKinds.firstCause(failure))
                .isEqualTo("java.lang.IllegalStateException: fixture configured to fail its activation");
        assertThat(PluginKinds.firstCause("java.lang.IllegalStateException: boom\n\tat x.y(Z.java:1)\n"))
                .isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(PluginKinds.firstCause(null)).isEqualTo("activation failed");
    }
}
