package dev.postpone.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into its top-level statements, skipping comments and honouring
 * quotes and dollar-quoted bodies. Only as much SQL lexing as the lint needs: the server parses for real.
 */
final class SqlScript {

    private SqlScript() {
    }

    /** The statements of {@code sql}, comments removed, string and body contents kept, without the trailing semicolon. */
    static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"') {
                int end = closingQuote(sql, i, c);
                current.append(sql, i, end);
                i = end;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                int end = close < 0 ? n : close + tag.length();
                current.append(sql, i, end);
                i = end;
            } else if (c == ';') {
                addIfNotBlank(statements, current);
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        addIfNotBlank(statements, current);
        return statements;
    }

    /** {@code statement} with quoted strings, quoted identifiers and dollar-quoted bodies blanked out, for keyword checks. */
    static String withoutLiterals(String statement) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < statement.length()) {
            char c = statement.charAt(i);
            if (c == '\'' || c == '"') {
                i = closingQuote(statement, i, c);
                out.append(" '' ");
            } else if (c == '$' && dollarTag(statement, i) != null) {
                String tag = dollarTag(statement, i);
                int close = statement.indexOf(tag, i + tag.length());
                i = close < 0 ? statement.length() : close + tag.length();
                out.append(" $$ ");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void addIfNotBlank(List<String> statements, StringBuilder current) {
        String s = current.toString().strip();
        if (!s.isEmpty()) statements.add(s);
    }

    /** Index just past the quote that closes the one at {@code start} (a doubled quote is an escaped one). */
    private static int closingQuote(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    /** {@code $tag$} starting at {@code start}, or null when the dollar sign starts no dollar quote (e.g. {@code $1}). */
    private static String dollarTag(String sql, int start) {
        int i = start + 1;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) i++;
        if (i >= sql.length() || sql.charAt(i) != '$') return null;
        String tag = sql.substring(start, i + 1);
        if (tag.length() > 2 && Character.isDigit(tag.charAt(1))) return null;
        return tag;
    }
}
