package dev.switchboard.adapter.openvpn.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code openvpn} client process, configured from a product configuration as an access message
 * carries it, with an order's client key and password. The tun device it opens is left unconfigured: the
 * agent-side tests look at authentication, sessions and counts, not at routed traffic.
 */
public final class VpnClient implements AutoCloseable {

    private final Process process;
    private final Path log;

    private VpnClient(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static VpnClient start(Path dir, Map<String, String> productConfig, String clientKey, String password)
            throws IOException {
        Files.createDirectories(dir);
        Path auth = dir.resolve("auth.txt");
        Files.writeString(auth, clientKey + "\n" + password + "\n", StandardCharsets.UTF_8);
        Path config = dir.resolve("client.conf");
        Files.writeString(config, "client\ndev tun\nnobind\nifconfig-noexec\nroute-noexec\n"
                + "proto " + productConfig.get("proto") + "\n"
                + "remote " + productConfig.get("host") + " " + productConfig.get("port") + "\n"
                + "auth-user-pass " + auth + "\n"
                + (productConfig.get("proto").equals("udp") ? "explicit-exit-notify 1\n" : "")
                + "verb 3\n<ca>\n" + productConfig.get("ca") + "</ca>\n<tls-crypt>\n" + productConfig.get("tlsCrypt")
                + "</tls-crypt>\n", StandardCharsets.UTF_8);
        Path log = dir.resolve("client.log");
        Process process = new ProcessBuilder(List.of("openvpn", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new VpnClient(process, log);
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public VpnClient awaitConnected() {
        await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("Initialization Sequence Completed"));
        return this;
    }

    /** Waits until the server refused it and it gave up. */
    public void awaitRefused() {
        await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("AUTH_FAILED") && !process.isAlive());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
