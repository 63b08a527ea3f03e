package dev.postpone.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows printed as aligned columns for people; the last column is not padded. */
final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) throw new IllegalArgumentException("expected " + headers.size() + " cells");
        rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : oneLine(c.toString())).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = headers.get(i).length();
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row.get(i).length());
        }
        printRow(out, headers, widths);
        for (List<String> row : rows) printRow(out, row, widths);
        out.flush();
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
        out.println(line.toString().stripTrailing());
    }

    /** Cells stay on one line so that columns stay aligned; long ones are cut. */
    static String oneLine(String text) {
        String flat = text.replaceAll("\\s*\\R\\s*", " ");
        return flat.length() > 80 ? flat.substring(0, 79) + "…" : flat;
    }
}
