package dev.postpone.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Static rules every migration step must follow, checked when the step is loaded so that a bad
 * file fails the build's tests rather than a production upgrade. Whether a step changes what an
 * earlier release created is judged on the catalog, by the schema module's ReleasedObjectsTest, not
 * by the words a step uses.
 */
final class StepLint {

    private static final Pattern PHASE_HEADER = Pattern.compile("\\A(?:\\s*--[^\\n]*\\n)*?\\s*--\\s*postpone:phase\\s+(\\S+)");
    private static final Pattern TRANSACTION_CONTROL = Pattern.compile(
            "\\A(begin|commit|rollback|end|start\\s+transaction|savepoint|release|abort)\\b");

    private StepLint() {
    }

    /** The rules {@code step}, read from {@code path}, breaks; empty when it is fine. */
    static List<String> problems(String path, MigrationStep step) {
        List<String> problems = new ArrayList<>();
        var header = PHASE_HEADER.matcher(step.sql());
        if (!header.find()) {
            problems.add(path + ": the header must start with '-- postpone:phase " + step.phase().label() + "'");
        } else if (!header.group(1).equals(step.phase().label())) {
            problems.add(path + ": header says phase " + header.group(1) + " but the file is in " + step.phase().label());
        }
        List<String> statements = SqlScript.statements(step.sql()).stream()
                .map(s -> SqlScript.withoutLiterals(s).strip().toLowerCase(Locale.ROOT))
                .toList();
        if (statements.isEmpty()) problems.add(path + ": no SQL statement");
        if (!step.transactional() && statements.size() != 1) {
            // Several statements in one string run as one implicit transaction, which CREATE INDEX CONCURRENTLY refuses.
            problems.add(path + ": a non-transactional step must hold exactly one statement, found " + statements.size());
        }
        for (String s : statements) {
            if (step.transactional() && TRANSACTION_CONTROL.matcher(s).find()) {
                problems.add(path + ": transactional steps run in the migrator's transaction; remove '" + firstLine(s) + "'");
            }
        }
        return problems;
    }

    private static String firstLine(String statement) {
        int nl = statement.indexOf('\n');
        return nl < 0 ? statement : statement.substring(0, nl) + " ...";
    }
}
