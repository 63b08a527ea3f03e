package dev.postpone.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this Postpone library build ({@code 1.1.0}, {@code 1.1.1}, {@code 1.2.0-SNAPSHOT}):
 * what artifacts, {@code postpone --version}, the jar manifest and the {@code workers} and
 * {@code clients} tables carry. The schema release it needs is {@link Release#current()}.
 */
public final class LibraryVersion {

    private static final String VERSION = load();

    private LibraryVersion() {
    }

    /** This build's version, e.g. {@code 1.1.0-SNAPSHOT}. */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream("release.properties")) {
            if (in == null) throw new IllegalStateException("release.properties missing from the postpone-schema jar");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
