package dev.postpone.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The migration steps shipped in this jar, in order (read from {@code migrations/index.txt}). */
public final class MigrationCatalog {

    static final String ROOT = "/dev/postpone/schema/migrations/";

    private final List<MigrationStep> steps;

    private MigrationCatalog(List<MigrationStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public static MigrationCatalog bundled() {
        return Bundled.CATALOG;
    }

    public static MigrationCatalog of(List<MigrationStep> steps) {
        List<MigrationStep> sorted = new ArrayList<>(steps);
        sorted.sort(Comparator.comparing(MigrationStep::id));
        Set<StepId> seen = new HashSet<>();
        for (MigrationStep s : sorted) {
            if (!seen.add(s.id())) throw new IllegalArgumentException("two migration steps share " + s.id());
        }
        return new MigrationCatalog(sorted);
    }

    public List<MigrationStep> steps() {
        return steps;
    }

    /** Every release that has steps, ascending. */
    public List<Release> releases() {
        return steps.stream().map(MigrationStep::release).distinct().toList();
    }

    public Release latest() {
        return steps.getLast().release();
    }

    /** The steps up to and including {@code phase} of {@code target}. */
    public List<MigrationStep> upTo(Release target, Phase phase) {
        return steps.stream()
                .filter(s -> s.release().compareTo(target) < 0
                        || (s.release().equals(target) && s.phase().compareTo(phase) <= 0))
                .toList();
    }

    /**
     * The newest release with steps, from the index's paths alone: what a client or worker needs at
     * start ({@link Release#current()}), without reading, hashing and linting every step's file.
     */
    static Release latestIndexed() {
        return Latest.RELEASE;
    }

    /** Reads the file list from the index, then each file, from the classpath. */
    static List<String> indexedPaths() {
        List<String> paths = new ArrayList<>();
        try (InputStream in = open("index.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) paths.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }

    private static InputStream open(String path) {
        InputStream in = MigrationCatalog.class.getResourceAsStream(ROOT + path);
        if (in == null) throw new IllegalStateException("migration resource missing from the postpone-schema jar: " + ROOT + path);
        return in;
    }

    static String read(String path) {
        try (InputStream in = open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Bundled {
        static final MigrationCatalog CATALOG =
                of(indexedPaths().stream().map(p -> MigrationStep.parse(p, read(p))).toList());
    }

    private static final class Latest {
        // A path starts with its release (1.1.0/pre/010_clients.sql); MigrationStep.parse checks the rest.
        static final Release RELEASE = indexedPaths().stream()
                .map(p -> Release.parse(p.substring(0, p.indexOf('/'))))
                .max(Comparator.naturalOrder()).orElseThrow();
    }
}
