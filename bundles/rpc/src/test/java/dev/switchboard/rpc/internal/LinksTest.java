package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.switchboard.rpc.metrics.RpcLinks;

class LinksTest {

    private record Connection(String remote, String callsign, long lastMessageNanos) implements Links.Open {
    }

    @Test
    void openConnectionsAreListedInOrderWithTheirActivityAndClosedOnesLeave() {
        Links links = new Links();
        long quiet = System.nanoTime() - Links.ACTIVE.toNanos() - 1;
        long first = links.opened(new Connection("/127.0.0.1:5000", null, System.nanoTime()));
        long second = links.opened(new Connection("/127.0.0.1:5001", "Sessions", quiet));

        assertThat(links.links()).containsExactly(new RpcLinks.Link(first, "/127.0.0.1:5000", true, null),
                new RpcLinks.Link(second, "/127.0.0.1:5001", false, "Sessions"));
        links.closed(first);
        assertThat(links.links()).extracting(RpcLinks.Link::id).containsExactly(second);
        assertThat(links.accepted()).isEqualTo(2);
    }

    @Test
    void theCallSettingsAreTheTransportsInForce() {
        Links links = new Links();
        assertThat(links.callThreads()).isEqualTo(TransportSettings.DEFAULT_WORKER_THREADS);
        links.settings(TransportSettings.DEFAULTS);
        assertThat(links.callTimeoutMillis()).isEqualTo(TransportSettings.DEFAULTS.callTimeoutMillis());
    }
}
