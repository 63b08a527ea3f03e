package dev.postpone.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Counts that must be at least 1 ({@code --max-attempts}, {@code --concurrency}, {@code --chunk-size}), checked while parsing. */
final class PositiveIntConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int n = IntegerText.parse(value);
        if (n < 1) throw new TypeConversionException("must be at least 1, not " + n);
        return n;
    }
}
