package dev.postpone.spring.boot;

import dev.postpone.Postpone;
import dev.postpone.schema.Migrator;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code postpone} health indicator, when Spring Boot's health support is on the classpath. */
@AutoConfiguration(after = {PostponeAutoConfiguration.class, PostponeWorkerAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Postpone.class)
@ConditionalOnEnabledHealthIndicator("postpone")
public class PostponeHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "postponeHealthIndicator")
    PostponeHealthIndicator postponeHealthIndicator(DataSource dataSource, Postpone postpone, PostponeProperties properties,
                                                    ObjectProvider<WorkerStatus> worker) {
        Migrator migrator = Migrator.builder(dataSource).schema(properties.getSchema().getName()).build();
        return new PostponeHealthIndicator(migrator, postpone, Optional.ofNullable(worker.getIfAvailable()),
                properties.getHealth().getQueueDepthThreshold());
    }
}
