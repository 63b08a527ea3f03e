package dev.postpone.spring.boot;

import dev.postpone.Postpone;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.TaskSetProvider;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Postpone in a Spring Boot application: the {@link Postpone} client on the application's
 * {@code DataSource}, deferring inside the current Spring transaction; the application's tasks; the
 * optional schema migration at start-up. The worker, health and metrics are in the sibling configurations.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(Postpone.class)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(PostponeProperties.class)
public class PostponeAutoConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static TaskMethodRegistrar postponeTaskMethodRegistrar() {
        return new TaskMethodRegistrar();
    }

    @Bean
    @ConditionalOnMissingBean
    PostponeTasks postponeTasks(ListableBeanFactory beans) {
        return new PostponeTasks(beans.getBeansOfType(Task.class), beans.getBeansOfType(TaskSet.class),
                beans.getBeansOfType(TaskSetProvider.class));
    }

    @Bean
    @ConditionalOnProperty(name = "postpone.schema.migrate", havingValue = "pre")
    @DependsOnDatabaseInitialization
    PostponeSchemaMigration postponeSchemaMigration(DataSource dataSource, PostponeProperties properties) {
        return new PostponeSchemaMigration(dataSource, properties.getSchema().getName());
    }

    /**
     * The client defers through a {@link TransactionAwareDataSourceProxy}: inside a Spring transaction it
     * uses the transaction's connection, so the job is committed, rolled back and notified with it.
     */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    Postpone postpone(DataSource dataSource, PostponeProperties properties, PostponeTasks tasks, Environment environment,
                      ObjectProvider<PostponeSchemaMigration> migration, ObjectProvider<MeterRegistry> meterRegistry,
                      ObjectProvider<PostponeClientCustomizer> customizers) {
        migration.ifAvailable(m -> { });   // migrated before the client checks the schema
        DataSource transactional = dataSource instanceof TransactionAwareDataSourceProxy
                ? dataSource : new TransactionAwareDataSourceProxy(dataSource);
        Postpone.Builder builder = Postpone.builder(transactional)
                .schema(properties.getSchema().getName())
                .tasks(tasks.taskSet())
                .registerClient(properties.getClient().isRegister());
        String clientName = properties.getClient().getName() != null ? properties.getClient().getName()
                : environment.getProperty("spring.application.name");
        if (clientName != null) builder.clientName(clientName);
        MeterRegistry registry = meterRegistry.getIfUnique();
        if (registry != null) builder.meterRegistry(registry);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        try {
            return builder.build();
        } catch (SchemaNotReadyException e) {
            throw new IllegalStateException(e.getMessage(), e);   // SchemaNotReadyFailureAnalyzer explains it
        }
    }
}
