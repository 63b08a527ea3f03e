package dev.postpone.schema;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A schema release, {@code MAJOR.MINOR.PATCH}, ordered numerically. */
public record Release(int major, int minor, int patch) implements Comparable<Release> {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern LEADING = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?![\\d.])");

    public Release {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("release numbers must not be negative");
        }
    }

    /** Parses {@code 1.2.3}; a suffix such as {@code -SNAPSHOT} is refused. */
    public static Release parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a release (expected MAJOR.MINOR.PATCH, e.g. 1.0.0): " + text);
        }
        return new Release(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /**
     * The newest schema release this jar ships: its workers and clients require that release's contract,
     * and {@code --to} defaults to it. It is not the library version ({@link LibraryVersion}): a library
     * patch that changes no SQL ships the same schema release.
     */
    public static Release current() {
        return MigrationCatalog.latestIndexed();
    }

    /** The {@code MAJOR.MINOR.PATCH} at the start of a version such as {@code 1.1.0-SNAPSHOT}, or empty. */
    public static java.util.Optional<Release> leading(String version) {
        Matcher m = LEADING.matcher(version == null ? "" : version.strip());
        return m.lookingAt()
                ? java.util.Optional.of(new Release(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))))
                : java.util.Optional.empty();
    }

    @Override
    public int compareTo(Release other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) c = Integer.compare(minor, other.minor);
        if (c == 0) c = Integer.compare(patch, other.patch);
        return c;
    }

    public boolean isBefore(Release other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
