package dev.switchboard.api.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void namedThreadsAreDaemonsOfThatName() {
        Thread thread = DaemonThreads.named("switchboard-test").newThread(() -> { });
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).isEqualTo("switchboard-test");
    }

    @Test
    void numberedThreadsCountFromOneForEachFactory() {
        ThreadFactory first = DaemonThreads.numbered("switchboard-a-");
        ThreadFactory second = DaemonThreads.numbered("switchboard-b-");
        assertThat(first.newThread(() -> { }).getName()).isEqualTo("switchboard-a-1");
        assertThat(first.newThread(() -> { }).getName()).isEqualTo("switchboard-a-2");
        Thread other = second.newThread(() -> { });
        assertThat(other.getName()).isEqualTo("switchboard-b-1");
        assertThat(other.isDaemon()).isTrue();
    }
}
