package dev.postpone.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.postpone.schema.Secrets;
import java.nio.charset.StandardCharsets;

/**
 * Encodes log lines with another encoder (text or JSON), then takes passwords out of them: a line or a
 * stack trace may quote a database URL (a driver's error message does), and log files travel further
 * than the terminal.
 */
final class RedactingEncoder extends EncoderBase<ILoggingEvent> {

    private final Encoder<ILoggingEvent> delegate;

    RedactingEncoder(Encoder<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    @Override
    public byte[] headerBytes() {
        return redact(delegate.headerBytes());
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return redact(delegate.encode(event));
    }

    @Override
    public byte[] footerBytes() {
        return redact(delegate.footerBytes());
    }

    @Override
    public void start() {
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }

    private static byte[] redact(byte[] encoded) {
        if (encoded == null || encoded.length == 0) return encoded;
        // Both encoders the CLI uses write UTF-8.
        return Secrets.redact(new String(encoded, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
}
