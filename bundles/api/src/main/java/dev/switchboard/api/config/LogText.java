package dev.switchboard.api.config;

/**
 * A value taken from a request or a file, made safe for one log line: control characters are
 * escaped (a newline cannot start a forged line, a NUL is not written raw) and anything longer than
 * {@link #MAX_CHARS} is cut, saying how long it was (a 1 MB method name cannot flush the log).
 */
public final class LogText {

    /** Characters of a value written to the log; the rest is summarised by its length. */
    public static final int MAX_CHARS = 200;

    private LogText() {
    }

    /** The value escaped and truncated, in double quotes; {@code null} stays {@code null}. */
    public static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        int shown = Math.min(text.length(), MAX_CHARS);
        StringBuilder out = new StringBuilder(shown + 16).append('"');
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (text.length() > shown) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
