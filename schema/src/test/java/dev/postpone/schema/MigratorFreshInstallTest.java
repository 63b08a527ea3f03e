package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class MigratorFreshInstallTest {

    @Test
    void freshInstallAppliesEveryStepThenFindsNothingToDo(TestDatabase db) throws Exception {
        Migrator migrator = Migrator.builder(db.dataSource()).build();

        MigrationResult first = migrator.migrate();
        MigrationResult second = migrator.migrate();

        assertThat(first.applied()).extracting(MigrationStep::displayName)
                .containsExactly("1.0.0/pre/010_tables", "1.0.0/pre/020_indexes", "1.0.0/pre/030_functions");
        assertThat(second.nothingToDo()).isTrue();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from postpone.schema_migrations where state = 'applied'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }
}
