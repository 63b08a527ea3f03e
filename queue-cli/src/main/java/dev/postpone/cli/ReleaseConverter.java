package dev.postpone.cli;

import dev.postpone.schema.MigrationCatalog;
import dev.postpone.schema.Release;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --to 1.0.0}: a release this postpone has steps for. A release newer than the newest one is let
 * through, so that plan and migrate can say this postpone is too old for it.
 */
final class ReleaseConverter implements ITypeConverter<Release> {

    @Override
    public Release convert(String value) {
        Release release;
        try {
            release = Release.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
        MigrationCatalog catalog = MigrationCatalog.bundled();
        List<Release> known = catalog.releases();
        if (!known.contains(release) && release.isBefore(catalog.latest())) {
            throw new TypeConversionException("no such release " + release + "; the releases are "
                    + known.stream().map(Release::toString).collect(Collectors.joining(", ")));
        }
        return release;
    }
}
