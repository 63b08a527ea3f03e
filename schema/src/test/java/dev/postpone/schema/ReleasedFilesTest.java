package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A released release never changes: for each line of {@code releases.txt}, its migration files, index
 * entries and contract are byte-identical to the commit it shipped from. Read from git, so it needs
 * the repository's history (a clone has it).
 */
class ReleasedFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String RESOURCES = "schema/src/main/resources/dev/postpone/schema/";

    @Test
    void everyReleasedReleaseIsAsItShipped() throws Exception {
        List<String[]> releases = Files.readAllLines(ROOT.resolve("releases.txt")).stream()
                .map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")).toList();
        assertThat(releases).as("releases.txt").isNotEmpty().allSatisfy(r -> assertThat(r).hasSize(2));
        for (String[] r : releases) {
            Release release = Release.parse(r[0]);
            String commit = r[1];
            List<String> shipped = git("ls-tree", "-r", "--name-only", commit, RESOURCES + "migrations/" + release + "/").lines().toList();
            assertThat(shipped).as("migration files of %s at %s", release, commit).isNotEmpty();
            for (String file : shipped) {
                assertThat(Files.readString(ROOT.resolve(file))).as("%s must be as released in %s", file, commit)
                        .isEqualTo(git("show", commit + ":" + file));
            }
            List<String> now = MigrationCatalog.indexedPaths().stream().filter(p -> p.startsWith(release + "/")).toList();
            assertThat(now).as("index entries of %s", release)
                    .containsExactlyElementsOf(shipped.stream().map(f -> f.substring((RESOURCES + "migrations/").length())).toList());
            String contract = RESOURCES + "contracts/" + release + ".contract";
            assertThat(Files.readString(ROOT.resolve(contract))).as("%s must be as released", contract)
                    .isEqualTo(git("show", commit + ":" + contract));
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", ROOT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
        return out;
    }
}
