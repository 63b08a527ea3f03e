package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./postpone} keeps a class-data sharing archive per command in queue-cli/target/cds: the first run
 * writes it, later runs use it, a file that is no archive is replaced, POSTPONE_CDS=0 turns it off, and none
 * of it ever shows on stdout or stderr.
 */
class LauncherCdsEndToEndTest {

    private static final Path ARCHIVES = Path.of("target", "cds").toAbsolutePath();

    @Test
    void theFirstRunOfACommandWritesItsArchiveSilently() throws Exception {
        Path archive = ARCHIVES.resolve("healthcheck.jsa");
        Files.deleteIfExists(archive);
        // No database configured (JarProcess passes none): the command fails at once, after starting as it always does.
        CliResult first = JarProcess.runLauncher(Map.of(), "healthcheck");
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(first.out()).isEmpty();
        assertThat(first.errLines()).filteredOn(line -> !line.startsWith("postpone: using JDK"))
                .singleElement().asString().startsWith("postpone: no database configured");
        assertThat(archive).isNotEmptyFile();
        long written = Files.getLastModifiedTime(archive).toMillis();

        CliResult again = JarProcess.runLauncher(Map.of(), "healthcheck");
        assertThat(again.out()).isEmpty();
        assertThat(again.errLines()).singleElement().asString().startsWith("postpone: no database configured");
        assertThat(Files.getLastModifiedTime(archive).toMillis()).as("used, not written again").isEqualTo(written);
    }

    @Test
    void aFileThatIsNoArchiveIsReplaced() throws Exception {
        Path archive = ARCHIVES.resolve("postpone.jsa");
        Files.createDirectories(ARCHIVES);
        Files.write(archive, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        CliResult version = JarProcess.runLauncher(Map.of(), "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.outLines()).singleElement().asString().startsWith("postpone ");
        assertThat(version.errLines()).noneMatch(line -> line.contains("shared archive") || line.contains("CDS"));
        assertThat(Files.size(archive)).as("a real archive took its place").isGreaterThan(100_000);
    }

    @Test
    void postponeCdsZeroWritesNoArchive() throws Exception {
        Path archive = ARCHIVES.resolve("workers.jsa");
        Files.deleteIfExists(archive);
        CliResult help = JarProcess.runLauncher(Map.of("POSTPONE_CDS", "0"), "workers", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(archive).doesNotExist();
    }
}
