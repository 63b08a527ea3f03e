package dev.postpone.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --at 2030-01-01T09:00:00Z} or with an offset, {@code 2030-01-01T10:00:00+01:00}. */
final class InstantConverter implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("not an ISO-8601 time with offset: '" + value + "' (e.g. 2030-01-01T09:00:00Z)");
        }
    }
}
