package dev.postpone.cli;

import java.util.List;

/** What one run of {@code postpone} printed and returned. */
record CliResult(int exitCode, String out, String err) {

    List<String> errLines() {
        return err.lines().filter(l -> !l.isBlank()).toList();
    }

    List<String> outLines() {
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
