package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped step list matches the files, and the lint rejects steps the migrator cannot run as written. */
class MigrationCatalogTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/dev/postpone/schema/migrations");

    @Test
    void indexListsExactlyTheMigrationFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MIGRATIONS)) {
            var onDisk = files.filter(Files::isRegularFile)
                    .map(p -> MIGRATIONS.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("index.txt"))
                    .sorted()
                    .toList();
            assertThat(MigrationCatalog.indexedPaths()).containsExactlyInAnyOrderElementsOf(onDisk);
        }
        assertThat(MigrationCatalog.bundled().steps()).hasSize(MigrationCatalog.indexedPaths().size());
    }

    @Test
    void theCurrentReleaseReadFromTheIndexAloneIsTheNewestOfTheParsedSteps() {
        assertThat(Release.current()).isEqualTo(MigrationCatalog.bundled().latest());
    }

    @Test
    void phaseHeaderIsRequiredAndMustMatchTheFolder() {
        assertThatThrownBy(() -> MigrationStep.parse("1.0.1/pre/010_x.sql", "create table t (id int);"))
                .hasMessageContaining("1.0.1/pre/010_x.sql: the header must start with '-- postpone:phase pre'");
        assertThatThrownBy(() -> MigrationStep.parse("1.0.1/pre/010_x.sql", "-- postpone:phase post\ncreate table t (id int);"))
                .hasMessageContaining("header says phase post but the file is in pre");
    }

    @Test
    void nonTransactionalStepsHoldExactlyOneStatement() {
        String two = "-- postpone:phase pre\n-- postpone:transactional false\n"
                + "create index concurrently a on jobs (queue);\ncreate index concurrently b on jobs (task);";
        assertThatThrownBy(() -> MigrationStep.parse("1.0.1/pre/010_x.sql", two))
                .hasMessageContaining("a non-transactional step must hold exactly one statement, found 2");
        MigrationStep one = MigrationStep.parse("1.0.1/pre/010_x.sql",
                "-- postpone:phase pre\n-- postpone:transactional false\ncreate index concurrently a on jobs (queue); -- why\n");
        assertThat(one.transactional()).isFalse();
    }

    @Test
    void transactionalStepsMustNotControlTheTransaction() {
        assertThatThrownBy(() -> MigrationStep.parse("1.0.1/pre/010_x.sql", "-- postpone:phase pre\nbegin;\ncreate table t (id int);\ncommit;"))
                .hasMessageContaining("remove 'begin'").hasMessageContaining("remove 'commit'");
        MigrationStep body = MigrationStep.parse("1.0.1/pre/010_x.sql", "-- postpone:phase pre\n"
                + "create function f() returns int language plpgsql as $$ begin return 1; end; $$;\ncomment on table jobs is 'begin; commit';");
        assertThat(body.sql()).contains("begin return 1");
    }
}
