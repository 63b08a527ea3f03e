package dev.postpone.cli;

import dev.postpone.schema.Release;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --to 1.0.0}. */
final class ReleaseConverter implements ITypeConverter<Release> {

    @Override
    public Release convert(String value) {
        try {
            return Release.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
