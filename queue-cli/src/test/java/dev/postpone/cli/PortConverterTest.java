package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** --metrics-port takes a real port; the dashboard's --port also takes 0, a free one, as its help says. */
class PortConverterTest {

    @Test
    void aPortToListenOnMayBeZeroForAnyFreeOne() {
        assertThat(new PortConverter.OrAny().convert("0")).isZero();
        assertThat(new PortConverter.OrAny().convert("8080")).isEqualTo(8080);
        assertThatThrownBy(() -> new PortConverter.OrAny().convert("70000")).isInstanceOf(TypeConversionException.class)
                .hasMessage("a port is between 0 (any free one) and 65535, not 70000");
        assertThatThrownBy(() -> new PortConverter().convert("0")).hasMessage("a port is between 1 and 65535, not 0");
    }
}
