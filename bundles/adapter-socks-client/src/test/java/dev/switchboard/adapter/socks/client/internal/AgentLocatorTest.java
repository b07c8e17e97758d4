package dev.switchboard.adapter.socks.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Reading the access message again: one read at a time, its answer shared by every failure meanwhile. */
class AgentLocatorTest {

    final AtomicInteger reads = new AtomicInteger();

    static Map<String, Object> at(int port) {
        return Map.of("serviceEndpointAddress", "127.0.0.1:" + port);
    }

    @Test
    void failuresWhileTheMessageIsReadShareTheRead() throws Exception {
        CompletableFuture<Map<String, Object>> message = new CompletableFuture<>();
        ExecutorService blocking = Executors.newSingleThreadExecutor();
        try {
            AgentLocator agent = new AgentLocator("test", () -> {
                reads.incrementAndGet();
                return message.join();
            }, AgentEndpoint.of(at(1)), blocking);
            AgentEndpoint old = agent.current();
            CompletableFuture<AgentEndpoint> first = agent.moved(old, "refused");
            assertThat(agent.moved(old, "refused")).isSameAs(first);

            message.complete(at(2));
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(AgentEndpoint.of(at(2))).isEqualTo(agent.current());
            // a connection that failed at the old endpoint only now goes to the new one without a read
            assertThat(agent.moved(old, "refused")).isCompletedWithValue(agent.current());
            assertThat(reads).hasValue(1);
        } finally {
            // lets the read end should an assertion have failed first
            message.complete(at(1));
            blocking.shutdown();
        }
    }

    @Test
    void aMessageNamingNoEndpointKeepsTheCurrentOneAndTheNextFailureReadsAgain() {
        AgentLocator agent = new AgentLocator("test", () -> {
            reads.incrementAndGet();
            return Map.of("additionalParams", Map.of("host", "127.0.0.1"));
        }, AgentEndpoint.of(at(1)), Runnable::run);
        AgentEndpoint old = agent.current();
        assertThat(agent.moved(old, "refused")).isCompletedWithValue(old);
        assertThat(agent.moved(old, "refused")).isCompletedWithValue(old);
        assertThat(reads).hasValue(2);
        assertThat(agent.current()).isSameAs(old);
    }
}
