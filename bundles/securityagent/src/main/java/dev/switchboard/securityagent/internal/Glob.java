package dev.switchboard.securityagent.internal;

import java.util.regex.Pattern;

/** A name pattern where {@code *} stands for any run of characters, compiled once. */
final class Glob {

    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    static Glob of(String text) {
        if (text.indexOf('*') < 0) {
            return new Glob(text, null);
        }
        StringBuilder regex = new StringBuilder();
        int start = 0;
        for (int star = text.indexOf('*'); star >= 0; star = text.indexOf('*', start)) {
            if (star > start) {
                regex.append(Pattern.quote(text.substring(start, star)));
            }
            regex.append(".*");
            start = star + 1;
        }
        if (start < text.length()) {
            regex.append(Pattern.quote(text.substring(start)));
        }
        return new Glob(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    boolean isLiteral() {
        return pattern == null;
    }

    boolean matches(String value) {
        if (value == null) {
            return false;
        }
        return pattern == null ? text.equals(value) : pattern.matcher(value).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
