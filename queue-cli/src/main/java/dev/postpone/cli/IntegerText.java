package dev.postpone.cli;

import picocli.CommandLine.TypeConversionException;

/** Whole numbers on the command line, refused in words rather than as "not an int". */
final class IntegerText {

    private IntegerText() {
    }

    static int parse(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }
}
