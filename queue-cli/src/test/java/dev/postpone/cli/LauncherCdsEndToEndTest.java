package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./postpone} keeps a class-data sharing archive per command and JDK in queue-cli/target/cds: the
 * first run that succeeds records it (one that fails does not count: it loaded too few classes), the next
 * launch puts it in place, later runs use it, a rebuilt jar makes a run record it again, POSTPONE_CDS=0
 * turns it off, and none of it ever shows on stdout or stderr.
 */
@ExtendWith(PostgresExtension.class)
class LauncherCdsEndToEndTest {

    private static final Path ARCHIVES = Path.of("target", "cds").toAbsolutePath();

    @Test
    void theFirstRunThatSucceedsRecordsTheArchiveSilentlyAndLaterRunsUseIt(TestDatabase db) throws Exception {
        Path archive = archive("healthcheck");
        Files.deleteIfExists(archive);
        // No database configured (JarProcess passes none): the command fails at once; its recording is not kept.
        CliResult failed = JarProcess.runLauncher(Map.of(), "healthcheck");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(failed.out()).isEmpty();
        assertThat(failed.errLines()).filteredOn(line -> !line.startsWith("postpone: using JDK"))
                .singleElement().asString().startsWith("postpone: no database configured");

        Map<String, String> database = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        assertThat(JarProcess.runLauncher(database, "schema", "migrate", "--phase", "all").exitCode()).isZero();
        CliResult healthy = JarProcess.runLauncher(database, "healthcheck");
        assertThat(archive).as("the failed run's recording was thrown away").doesNotExist();
        assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
        assertThat(healthy.outLines()).singleElement().asString().startsWith("ok: ");
        assertThat(healthy.errLines()).isEmpty();

        CliResult mapped = JarProcess.runLauncher(database, "healthcheck");
        assertThat(mapped.toString()).isEqualTo(healthy.toString());
        assertThat(archive).as("the successful run's recording, put in place").isNotEmptyFile();
        assertThat(recordings("healthcheck")).isEmpty();
        FileTime inPlace = Files.getLastModifiedTime(archive);

        assertThat(JarProcess.runLauncher(database, "healthcheck").toString()).isEqualTo(healthy.toString());
        assertThat(Files.getLastModifiedTime(archive)).as("used, not recorded again").isEqualTo(inPlace);
        assertThat(recordings("healthcheck")).isEmpty();

        // A rebuilt jar: its classes may differ, so the next run records them again.
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(3600)));
        FileTime stale = Files.getLastModifiedTime(archive);
        assertThat(JarProcess.runLauncher(database, "healthcheck").toString()).isEqualTo(healthy.toString());
        assertThat(JarProcess.runLauncher(database, "healthcheck").toString()).isEqualTo(healthy.toString());
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(stale);
    }

    @Test
    void postponeCdsZeroWritesNoArchive() throws Exception {
        Path archive = archive("workers");
        Files.deleteIfExists(archive);
        CliResult help = JarProcess.runLauncher(Map.of("POSTPONE_CDS", "0"), "workers", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(archive).doesNotExist();
    }

    /** Recordings and marks of {@code command}'s archive not put in place (nor thrown away) yet. */
    private static List<Path> recordings(String command) throws Exception {
        try (Stream<Path> files = Files.list(ARCHIVES)) {
            String prefix = archive(command).getFileName() + ".";
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    /** Where the launcher keeps the archive of {@code command} for the JDK these tests run on (the launcher's too). */
    private static Path archive(String command) {
        return ARCHIVES.resolve(command + "-" + Runtime.version().toString().replaceAll("[^A-Za-z0-9.]", "_") + ".jsa");
    }
}
