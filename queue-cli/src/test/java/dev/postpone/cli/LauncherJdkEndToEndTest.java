package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./postpone} (and {@code ./mvnw}, which sources the same bin/find-jdk.sh) says which JDK it chose the
 * first time, stays quiet afterwards, and refuses a POSTPONE_JAVA that is not a JDK 21+ in one line.
 */
class LauncherJdkEndToEndTest {

    private static final Path MARKER = Path.of("..", ".mvn", ".jdk-chosen").toAbsolutePath().normalize();

    @Test
    void theFirstRunSaysWhichJdkItChoseOnce() throws Exception {
        Files.deleteIfExists(MARKER);
        CliResult first = JarProcess.runLauncher(Map.of(), "--version");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.errLines()).singleElement().asString()
                .startsWith("postpone: using JDK ").contains("set POSTPONE_JAVA to a JDK home to choose another");

        CliResult second = JarProcess.runLauncher(Map.of(), "--version");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.errLines()).as("told once, not on every run").isEmpty();
    }

    @Test
    void postponeJavaPicksTheJdkOrIsRefusedInOneLine() throws Exception {
        String home = Path.of(System.getProperty("java.home")).toString();
        CliResult chosen = JarProcess.runLauncher(Map.of("POSTPONE_JAVA", home), "--version");
        assertThat(chosen.exitCode()).as(chosen.toString()).isZero();
        assertThat(chosen.out()).contains("Java " + Runtime.version().feature());

        CliResult bogus = JarProcess.runLauncher(Map.of("POSTPONE_JAVA", "/no/such/jdk"), "--version");
        assertThat(bogus.exitCode()).isEqualTo(1);
        assertThat(bogus.errLines()).singleElement().asString()
                .isEqualTo("postpone: POSTPONE_JAVA=/no/such/jdk is not a JDK 21 or newer; point it at a JDK 21+ home,"
                        + " or unset it to let postpone pick one.");
    }
}
