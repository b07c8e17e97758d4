package dev.switchboard.adapter.openvpn.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.files.SecureFiles;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * An {@code openvpn} an adapter runs: started with the configuration it wrote, stopped when the adapter is
 * removed, and (for a server) restarted when it dies. It is not a child that dies with the adapter: a new
 * build of the adapter finds it by its pid file and adopts it, so tunnels survive a bundle update.
 */
public final class OpenVpnProcess {

    public static final String CONFIG = "openvpn.conf";
    public static final String PID = "openvpn.pid";
    public static final String LOG_FILE = "openvpn.log";
    private static final Logger LOG = LoggerFactory.getLogger(OpenVpnProcess.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final String callsign;
    private final Path dir;
    private final Path openvpn;
    private final Path socket;
    private final Runnable exited;
    private final ScheduledExecutorService restarts;
    private volatile ProcessHandle running;
    private volatile boolean stopping;
    private long backoffMillis = 1000;

    /**
     * @param socket the management socket its configuration opens: it is there once OpenVPN runs
     * @param exited called when it exits of itself; {@code null} to restart it then
     */
    public OpenVpnProcess(String callsign, Path dir, Path openvpn, Path socket, Runnable exited) {
        this.callsign = callsign;
        this.exited = exited;
        this.dir = dir.toAbsolutePath();
        this.openvpn = openvpn;
        this.socket = socket;
        this.restarts = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("openvpn-process-" + callsign));
    }

    /**
     * Writes {@code config} and starts OpenVPN with it, or adopts the one already running with it, and waits
     * until its management socket is there.
     *
     * @return whether a running OpenVPN was adopted
     * @throws IOException when it exits or has no management socket within 15 s; the reason is its last log line
     */
    public boolean start(String config) throws IOException {
        Optional<ProcessHandle> adopted = runningWith(config);
        if (adopted.isPresent()) {
            running = adopted.get();
            watch(running);
            LOG.info("OpenVPN {}: adopted the running openvpn (pid {})", callsign, running.pid());
            return true;
        }
        SecureFiles.writePrivate(dir.resolve(CONFIG), config.getBytes(StandardCharsets.UTF_8));
        launch();
        return false;
    }

    /** The openvpn the pid file names, if it runs with this very configuration. */
    private Optional<ProcessHandle> runningWith(String config) throws IOException {
        Path pidFile = dir.resolve(PID);
        Path configFile = dir.resolve(CONFIG);
        if (!Files.exists(pidFile) || !Files.exists(configFile)
                || !Files.readString(configFile, StandardCharsets.UTF_8).equals(config)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(configFile.toString())).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void launch() throws IOException {
        Files.deleteIfExists(socket);
        Path log = dir.resolve(LOG_FILE);
        if (Files.exists(log)) {
            SecureFiles.restrictToOwner(log);
        } else {
            SecureFiles.writePrivate(log, new byte[0]);
        }
        Process process = new ProcessBuilder(List.of(openvpn.toString(), "--config", dir.resolve(CONFIG).toString(),
                "--writepid", dir.resolve(PID).toString()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("openvpn " + (process.isAlive() ? "opened no management socket within 15 s"
                        : "exited with code " + process.exitValue()) + ": " + lastLogLine());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted while openvpn starts", e);
            }
        }
        if (Files.exists(dir.resolve(PID))) {
            SecureFiles.restrictToOwner(dir.resolve(PID));
        }
        running = process.toHandle();
        watch(running);
        LOG.info("OpenVPN {}: openvpn started (pid {}), its log is {}", callsign, process.pid(), dir.resolve(LOG_FILE));
    }

    private void watch(ProcessHandle process) {
        long started = System.nanoTime();
        process.onExit().thenRun(() -> {
            if (stopping || running != process) {
                return;
            }
            if (exited != null) {
                LOG.info("OpenVPN {}: openvpn (pid {}) exited: {}", callsign, process.pid(), LogText.quote(lastLogLine()));
                exited.run();
                return;
            }
            synchronized (this) {
                backoffMillis = System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MILLIS)
                        ? 1000 : Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            }
            LOG.warn("OpenVPN {}: openvpn (pid {}) exited ({}); restarting it in {} ms", callsign, process.pid(),
                    LogText.quote(lastLogLine()), backoffMillis);
            restarts.schedule(this::restart, backoffMillis, TimeUnit.MILLISECONDS);
        });
    }

    private void restart() {
        if (stopping) {
            return;
        }
        try {
            launch();
        } catch (IOException e) {
            LOG.warn("OpenVPN {}: restarting openvpn failed, trying again in {} ms: {}", callsign, backoffMillis,
                    LogText.quote(e.getMessage()));
            restarts.schedule(this::restart, backoffMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The last line OpenVPN logged, but its echoes of management messages: it says why it stopped. */
    public String lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(LOG_FILE), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).contains("MANAGEMENT:")) {
                    return lines.get(i);
                }
            }
            return "no log";
        } catch (IOException e) {
            return "no log";
        }
    }

    public long pid() {
        ProcessHandle current = running;
        return current == null ? -1 : current.pid();
    }

    /** Stops OpenVPN, its tunnels with it: the adapter is removed. */
    public void stop() {
        stopping = true;
        restarts.shutdownNow();
        terminate(running);
    }

    /** Stops OpenVPN and starts it again with {@code config}. */
    public void replace(String config) throws IOException {
        ProcessHandle old = running;
        // its exit is not an exit of its own
        running = null;
        terminate(old);
        SecureFiles.writePrivate(dir.resolve(CONFIG), config.getBytes(StandardCharsets.UTF_8));
        launch();
    }

    private void terminate(ProcessHandle process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("OpenVPN {}: openvpn (pid {}) did not stop within 10 s; killing it", callsign, process.pid());
            process.destroyForcibly();
        }
        LOG.info("OpenVPN {}: openvpn (pid {}) stopped", callsign, process.pid());
    }

    /** Leaves OpenVPN running for the next build of the adapter to adopt. */
    public void leave() {
        stopping = true;
        restarts.shutdownNow();
        LOG.info("OpenVPN {}: openvpn (pid {}) left running for the adapter's next start", callsign, pid());
    }
}
