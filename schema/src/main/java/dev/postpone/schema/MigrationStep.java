package dev.postpone.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL file of a release's migrations, {@code migrations/<release>/<phase>/NNN_name.sql}.
 *
 * <p>Header comments tune how it runs:
 * <pre>
 * -- postpone:phase pre|post           (required, first directive; must match the folder)
 * -- postpone:transactional false      (default true; false = exactly one statement, e.g. CREATE INDEX CONCURRENTLY)
 * -- postpone:lock-timeout 2s          (default: the migrator's)
 * -- postpone:statement-timeout 0      (default: the migrator's; 0 = none)
 * </pre>
 */
public record MigrationStep(
        StepId id,
        String name,
        String sql,
        String checksum,
        boolean transactional,
        Optional<Duration> lockTimeout,
        Optional<Duration> statementTimeout) {

    private static final Pattern FILE = Pattern.compile("(\\d+\\.\\d+\\.\\d+)/(pre|post)/(\\d{3})_([a-z0-9_]+)\\.sql");
    private static final Pattern DIRECTIVE = Pattern.compile("^--\\s*postpone:([a-z-]+)\\s+(\\S+)\\s*$", Pattern.MULTILINE);

    /**
     * Parses a step from its path relative to the migrations folder (e.g. {@code 1.0.0/pre/010_tables.sql})
     * and lints it (see {@link StepLint}).
     *
     * @throws IllegalArgumentException naming the file and every rule it breaks
     */
    public static MigrationStep parse(String path, String sql) {
        Matcher m = FILE.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException("migration file name must be <release>/<pre|post>/NNN_lower_case_name.sql: " + path);
        }
        StepId id = new StepId(Release.parse(m.group(1)), Phase.fromLabel(m.group(2)), Integer.parseInt(m.group(3)));
        String normalized = sql.replace("\r\n", "\n");
        boolean transactional = true;
        Duration lockTimeout = null;
        Duration statementTimeout = null;
        Matcher d = DIRECTIVE.matcher(normalized);
        while (d.find()) {
            String value = d.group(2);
            switch (d.group(1)) {
                case "phase" -> {
                    // checked by StepLint, which also requires it to be present
                }
                case "transactional" -> transactional = Boolean.parseBoolean(value);
                case "lock-timeout" -> lockTimeout = Durations.parse(value);
                case "statement-timeout" -> statementTimeout = Durations.parse(value);
                default -> throw new IllegalArgumentException(path + ": unknown directive postpone:" + d.group(1));
            }
        }
        MigrationStep step = new MigrationStep(id, m.group(4), normalized, sha256(normalized), transactional,
                Optional.ofNullable(lockTimeout), Optional.ofNullable(statementTimeout));
        List<String> problems = StepLint.problems(path, step);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("\n", problems));
        return step;
    }

    public Release release() {
        return id.release();
    }

    public Phase phase() {
        return id.phase();
    }

    /** {@code 1.0.0/pre/010_tables}: how steps are named in messages. */
    public String displayName() {
        return "%s/%s/%03d_%s".formatted(id.release(), id.phase().label(), id.seq(), name);
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
