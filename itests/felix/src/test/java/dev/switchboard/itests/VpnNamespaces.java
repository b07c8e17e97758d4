package dev.switchboard.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair, one for the agent's OpenVPN server and one for the client's:
 * the tunnel crosses a real link and the kernel's real tun devices. Deleted on close, with every process
 * still running in them (the OpenVPN processes a launcher left behind when it was killed, the file server).
 */
final class VpnNamespaces implements AutoCloseable {

    static final String AGENT_ADDRESS = "192.168.231.1";
    static final String CLIENT_ADDRESS = "192.168.231.2";

    final String agent;
    final String client;

    private VpnNamespaces(String agent, String client) {
        this.agent = agent;
        this.client = client;
    }

    /** Why these tests cannot run here, or {@code null}. */
    static String whyNot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (network namespaces and tun devices need it)";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "no tun device (/dev/net/tun)";
        }
        for (String command : List.of("openvpn", "ip", "curl")) {
            if (List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").stream()
                    .noneMatch(dir -> Files.isExecutable(Path.of(dir + command)))) {
                return command + " is not installed (apt-get install openvpn iproute2 curl)";
            }
        }
        return null;
    }

    static VpnNamespaces create() throws IOException, InterruptedException {
        String suffix = String.valueOf(ProcessHandle.current().pid() % 100_000);
        VpnNamespaces net = new VpnNamespaces("sbvpn-a" + suffix, "sbvpn-c" + suffix);
        try {
            net.ip("netns", "add", net.agent);
            net.ip("netns", "add", net.client);
            net.ip("link", "add", "sbva" + suffix, "netns", net.agent, "type", "veth", "peer", "name", "sbvc" + suffix,
                    "netns", net.client);
            net.in(net.agent, "ip", "addr", "add", AGENT_ADDRESS + "/30", "dev", "sbva" + suffix);
            net.in(net.client, "ip", "addr", "add", CLIENT_ADDRESS + "/30", "dev", "sbvc" + suffix);
            for (String[] link : new String[][] {{net.agent, "sbva" + suffix}, {net.client, "sbvc" + suffix}}) {
                net.in(link[0], "ip", "link", "set", "lo", "up");
                net.in(link[0], "ip", "link", "set", link[1], "up");
            }
            return net;
        } catch (IOException | RuntimeException | InterruptedException e) {
            net.close();
            throw e;
        }
    }

    private void ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        run(command);
    }

    /** Runs {@code command} in namespace {@code ns}, failing with its output unless it exits with 0. */
    void in(String ns, String... command) throws IOException, InterruptedException {
        run(inNamespace(ns, command));
    }

    static List<String> inNamespace(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return full;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /**
     * A script that runs {@code openvpn} in namespace {@code ns}: the adapters' {@code openvpn} setting, so that
     * the launchers stay reachable on this host's loopback while their tunnels live in the namespaces.
     */
    Path openvpnIn(String ns, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("openvpn-in-" + ns);
        Files.writeString(script, "#!/bin/sh\nexec ip netns exec " + ns + " openvpn \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Override
    public void close() {
        for (String ns : List.of(agent, client)) {
            try {
                Process pids = new ProcessBuilder("ip", "netns", "pids", ns).redirectErrorStream(true).start();
                for (String pid : new String(pids.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                        .split("\\s+")) {
                    if (pid.matches("[0-9]+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
                            p.destroyForcibly();
                            p.onExit().join();
                        });
                    }
                }
                pids.waitFor();
                new ProcessBuilder("ip", "netns", "delete", ns).redirectErrorStream(true).start().waitFor();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
