package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.schema.LibraryVersion;
import dev.postpone.schema.Release;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One version string everywhere: {@code postpone --version}, the jar manifest's Implementation-Version
 * and the artifacts' file names carry the library version (the workers table too, see
 * WorkerEndToEndTest); the schema release it needs is shown beside it, not instead of it.
 */
class VersionEndToEndTest {

    @Test
    void versionOptionManifestAndArtifactsAgree() throws Exception {
        String version = LibraryVersion.current();
        assertThat(version).as("the project version").matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");

        CliResult printed = JarProcess.run(Map.of(), null, "--version");
        assertThat(printed.exitCode()).as(printed.toString()).isZero();
        assertThat(printed.out().strip()).startsWith("postpone " + version + " (schema release " + Release.current() + ", Java ");

        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version")).isEqualTo(version);
        }
        try (Stream<Path> lib = Files.list(JarProcess.jar().resolveSibling("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("postpone-")))
                    .isNotEmpty().allSatisfy(name -> assertThat(name).endsWith("-" + version + ".jar"));
        }
    }
}
