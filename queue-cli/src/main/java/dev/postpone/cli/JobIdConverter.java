package dev.postpone.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Job ids: positive numbers, as {@code postpone defer} and {@code jobs list} print them. */
final class JobIdConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            long id = Long.parseLong(value.strip());
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // worded below
        }
        throw new TypeConversionException("'" + value + "' is not a job id (a number such as 42)");
    }
}
