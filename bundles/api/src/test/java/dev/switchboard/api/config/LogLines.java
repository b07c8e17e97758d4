package dev.switchboard.api.config;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The lines logged while it is open, for the bundles' tests (this module's test jar): their test
 * logger, slf4j-simple, writes to whatever {@code System.err} is when a line is logged.
 */
public final class LogLines implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public LogLines() {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    /** The lines logged so far that contain {@code text}. */
    public List<String> containing(String text) {
        System.err.flush();
        return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
