package dev.postpone.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --metrics-bind}: an IP address or a host name of this machine. */
final class InetAddressConverter implements ITypeConverter<InetAddress> {

    @Override
    public InetAddress convert(String value) {
        try {
            return InetAddress.getByName(value.strip());
        } catch (UnknownHostException e) {
            throw new TypeConversionException("unknown host '" + value + "'; give an address such as 127.0.0.1 or 0.0.0.0");
        }
    }
}
