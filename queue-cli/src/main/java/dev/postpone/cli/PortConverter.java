package dev.postpone.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** TCP ports ({@code --metrics-port}), checked while parsing so the message names the option. */
final class PortConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int port = IntegerText.parse(value);
        if (port < 1 || port > 65535) throw new TypeConversionException("a port is between 1 and 65535, not " + port);
        return port;
    }

    /** A port to listen on, where 0 asks the system for a free one. */
    static final class OrAny implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port = IntegerText.parse(value);
            if (port < 0 || port > 65535) throw new TypeConversionException("a port is between 0 (any free one) and 65535, not " + port);
            return port;
        }
    }
}
