package dev.switchboard.adapter.openvpn.internal.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the OpenSSL and OpenVPN command lines the adapter needs, and finds them. */
public final class Commands {

    private Commands() {
    }

    /**
     * The executable {@code command} names: a path, or a name looked up on the {@code PATH}.
     *
     * @throws IllegalStateException naming the command when there is none
     */
    public static Path executable(String command, String what) {
        if (command.contains(File.separator)) {
            Path path = Path.of(command);
            if (Files.isExecutable(path)) {
                return path;
            }
        } else {
            String pathVariable = System.getenv("PATH");
            for (String dir : (pathVariable == null ? "" : pathVariable).split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            for (String dir : List.of("/usr/sbin", "/sbin", "/usr/local/sbin")) {
                Path candidate = Path.of(dir, command);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException(what + " is not installed: no executable " + command
                + " (on Debian: apt-get install openvpn openssl)");
    }

    /** Runs {@code command} in {@code dir}; fails with its output when it does not exit with 0 within a minute. */
    public static void run(Path dir, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " took longer than a minute");
            }
            if (process.exitValue() != 0) {
                String text = new String(output, StandardCharsets.UTF_8).strip();
                throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " failed with exit code " + process.exitValue() + ": "
                        + text.substring(Math.max(0, text.length() - 500)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }
}
