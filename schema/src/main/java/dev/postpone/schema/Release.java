package dev.postpone.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A schema release, {@code MAJOR.MINOR.PATCH}, ordered numerically. */
public record Release(int major, int minor, int patch) implements Comparable<Release> {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

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

    /** The release this library build ships: its workers register with it and require its contract. */
    public static Release current() {
        return Current.RELEASE;
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

    private static final class Current {
        static final Release RELEASE = load();

        private static Release load() {
            try (InputStream in = Release.class.getResourceAsStream("release.properties")) {
                if (in == null) throw new IllegalStateException("release.properties missing from the postpone-schema jar");
                Properties p = new Properties();
                p.load(in);
                return parse(p.getProperty("release"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
