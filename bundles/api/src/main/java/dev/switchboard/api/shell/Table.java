package dev.switchboard.api.shell;

import java.util.List;

/** The text tables of Switchboard's shell commands. */
public final class Table {

    private Table() {
    }

    /**
     * Columns padded to their widest cell and separated by " | ", a header underlined with dashes,
     * as Karaf's own tables look. Every row has as many cells as there are headers; the text ends
     * with a line break.
     */
    public static String format(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        for (int i = 0; i < widths.length; i++) {
            out.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.append('\n');
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        for (int i = 0; i < widths.length; i++) {
            out.append(i == 0 ? "" : " | ").append(cells.get(i));
            if (i < widths.length - 1) {
                out.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        out.append('\n');
    }
}
