package dev.postpone.spring.boot;

import dev.postpone.schema.MigrationResult;
import dev.postpone.schema.MigrationTarget;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.Release;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * {@code postpone.schema.migrate=pre}: applies the pending steps up to this release's pre migrations
 * before the client and the worker check the schema. Pre steps are additive, so applications of the
 * previous release keep running beside this one; post steps are left to an operator
 * ({@code postpone schema migrate --phase post}) once no older application is left.
 */
public final class PostponeSchemaMigration implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(PostponeSchemaMigration.class);

    private final Migrator migrator;

    PostponeSchemaMigration(DataSource dataSource, String schema) {
        this.migrator = Migrator.builder(dataSource).schema(schema).build();
    }

    @Override
    public void afterPropertiesSet() {
        MigrationResult result = migrator.migrate(MigrationTarget.PRE, Release.current());
        log.info("postpone.schema_migrated schema={} target=pre release={} steps_applied={}",
                migrator.schema(), result.release(), result.applied().size());
    }
}
