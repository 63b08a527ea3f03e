package dev.postpone.schema;

import java.util.List;

/**
 * The result of {@code verify}: how the live schema differs from what its applied steps produce
 * (empty when it matches), the invalid indexes in it, and problems that kept the check from running
 * fully (no schema, changed or unknown applied steps, steps left running or failed), and the roles that
 * hold more privileges than {@code postpone schema grant} gives.
 *
 * @param installed false when there is no Postpone schema to verify (no such schema, or no migration
 *                  ledger in it); {@link #problems()} then says how to install it
 */
public record VerifyReport(SchemaName schema, boolean installed, List<String> differences, List<String> invalidIndexes,
                           List<String> problems, List<String> excessPrivileges) {

    public VerifyReport {
        differences = List.copyOf(differences);
        invalidIndexes = List.copyOf(invalidIndexes);
        problems = List.copyOf(problems);
        excessPrivileges = List.copyOf(excessPrivileges);
    }

    public boolean ok() {
        return differences.isEmpty() && invalidIndexes.isEmpty() && problems.isEmpty() && excessPrivileges.isEmpty();
    }
}
