package dev.postpone.spring.boot;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.schema.Secrets;
import dev.postpone.worker.ListenerKind;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.PeriodicTaskProvider;
import dev.postpone.worker.Retention;
import dev.postpone.worker.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The embedded worker ({@code postpone.worker.enabled}, default true), on the application's own
 * {@code DataSource}: it holds {@link Worker#CONNECTIONS} of the pool's connections while it runs.
 */
@AutoConfiguration(after = PostponeAutoConfiguration.class)
@ConditionalOnClass(Worker.class)
@ConditionalOnBean(Postpone.class)
@ConditionalOnProperty(name = "postpone.worker.enabled", matchIfMissing = true)
public class PostponeWorkerAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PostponeWorkerAutoConfiguration.class);
    /** What Spring Boot waits for each shutdown phase unless spring.lifecycle.timeout-per-shutdown-phase says otherwise. */
    private static final Duration SPRING_PHASE_TIMEOUT = Duration.ofSeconds(30);
    /** Left of the phase timeout for the worker's final writes (it needs about 2 s) and some slack. */
    private static final Duration FINAL_WRITES = Duration.ofSeconds(5);

    @Bean
    @ConditionalOnMissingBean
    PostponeWorkerLifecycle postponeWorker(DataSource dataSource, Postpone postpone, PostponeProperties properties,
                                           PostponeTasks tasks, ListableBeanFactory beans, Environment environment,
                                           ObjectProvider<MeterRegistry> meterRegistry,
                                           ObjectProvider<PostponeWorkerCustomizer> customizers) {
        PostponeProperties.Worker p = properties.getWorker();
        Duration phaseTimeout = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
                SPRING_PHASE_TIMEOUT);
        Duration shutdownTimeout = shutdownTimeout(p.getShutdownTimeout(), phaseTimeout);
        warnIfPoolIsSmall(dataSource);
        return new PostponeWorkerLifecycle(() -> {
            // Built at start, not now: periodic and task beans may come from beans created after this one.
            Worker.Builder b = Worker.builder(dataSource, tasks.taskSet())
                    .schema(properties.getSchema().getName())
                    .objectMapper(postpone.objectMapper())
                    .concurrency(p.getConcurrency())
                    .maxPrefetch(p.getPrefetch())
                    .pollInterval(p.getPollInterval())
                    .heartbeatInterval(p.getHeartbeatInterval())
                    .stalledThreshold(p.getStalledThreshold())
                    .shutdownTimeout(shutdownTimeout)
                    .retention(retention(p.getRetention()));
            if (!p.getQueues().isEmpty()) b.queues(p.getQueues());
            if (p.getName() != null) b.name(p.getName());
            listener(b, p);
            if (p.getSessionUrl() != null) b.sessionDataSource(sessionDataSource(p.getSessionUrl(), environment));
            periodicTasks(properties, tasks, beans, postpone).forEach(b::periodic);
            MeterRegistry registry = meterRegistry.getIfUnique();
            if (registry != null) b.meterRegistry(registry);
            customizers.orderedStream().forEach(c -> c.customize(b));
            return b;
        }, shutdownTimeout);
    }

    static Duration shutdownTimeout(Duration configured, Duration phaseTimeout) {
        if (configured == null) {
            Duration derived = phaseTimeout.minus(FINAL_WRITES);
            return derived.isNegative() ? Duration.ZERO : derived;
        }
        if (configured.plus(Duration.ofSeconds(2)).compareTo(phaseTimeout) > 0) {
            log.warn("postpone.worker_shutdown_timeout_too_long shutdown_timeout={} phase_timeout={} reason=\"the worker may"
                    + " still be stopping when Spring closes the DataSource; keep postpone.worker.shutdown-timeout a few seconds"
                    + " below spring.lifecycle.timeout-per-shutdown-phase\"", configured, phaseTimeout);
        }
        return configured;
    }

    private static void warnIfPoolIsSmall(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari && hikari.getMaximumPoolSize() <= Worker.CONNECTIONS) {
            log.warn("postpone.pool_too_small maximum_pool_size={} worker_connections={} reason=\"the worker holds {} connections"
                    + " while it runs, leaving the application {}; raise spring.datasource.hikari.maximum-pool-size\"",
                    hikari.getMaximumPoolSize(), Worker.CONNECTIONS, Worker.CONNECTIONS,
                    Math.max(0, hikari.getMaximumPoolSize() - Worker.CONNECTIONS));
        }
    }

    /** postpone.worker.session-url, with spring.datasource's user and password unless the URL names them. */
    static DataSource sessionDataSource(String url, Environment environment) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setUrl(url);
        } catch (IllegalArgumentException e) {
            // pgjdbc's message quotes the URL whole, password and all.
            throw new IllegalStateException("postpone.worker.session-url is not a PostgreSQL JDBC URL: " + Secrets.redact(url)
                    + " (expected jdbc:postgresql://host:port/database)");
        }
        if (ds.getUser() == null) ds.setUser(environment.getProperty("spring.datasource.username"));
        if (ds.getPassword() == null) ds.setPassword(environment.getProperty("spring.datasource.password"));
        if (ds.getApplicationName() == null) ds.setApplicationName("postpone-worker-session");
        return ds;
    }

    private static void listener(Worker.Builder b, PostponeProperties.Worker p) {
        switch (p.getListener()) {
            case NONE -> b.listen(false);
            case PGJDBC -> b.listener(ListenerKind.PGJDBC);
            case PGJDBC_NG -> {
                if (p.getListenerUrl() == null) {
                    throw new IllegalStateException("postpone.worker.listener=pgjdbc-ng needs postpone.worker.listener-url"
                            + " (e.g. jdbc:pgsql://host:5432/db?user=app&password=...)");
                }
                b.pgjdbcNgUrl(p.getListenerUrl());
            }
        }
    }

    private static Retention retention(PostponeProperties.Retention r) {
        return r.getStatuses().isEmpty() ? Retention.keepAll() : new Retention(r.getOlderThan(), r.getStatuses());
    }

    /** PeriodicTask beans, PeriodicTaskProvider beans and postpone.periodic.* entries. */
    private static List<PeriodicTask<?>> periodicTasks(PostponeProperties properties, PostponeTasks tasks,
                                                       ListableBeanFactory beans, Postpone postpone) {
        List<PeriodicTask<?>> periodic = new ArrayList<>();
        for (Object bean : beans.getBeansOfType(PeriodicTask.class).values()) periodic.add((PeriodicTask<?>) bean);
        beans.getBeansOfType(PeriodicTaskProvider.class).values().forEach(provider -> periodic.addAll(provider.periodicTasks()));
        for (Map.Entry<String, PostponeProperties.Periodic> e : properties.getPeriodic().entrySet()) {
            periodic.add(fromProperties(e.getKey(), e.getValue(), tasks, postpone));
        }
        return periodic;
    }

    private static PeriodicTask<?> fromProperties(String key, PostponeProperties.Periodic p, PostponeTasks tasks, Postpone postpone) {
        String where = "postpone.periodic." + key;
        if (p.getTask() == null || p.getCron() == null) {
            throw new IllegalStateException(where + " needs both .task (a task name) and .cron (a cron expression)");
        }
        Task<?> task = tasks.taskSet().find(p.getTask()).orElseThrow(() -> new IllegalStateException(where + ".task: no task named '"
                + p.getTask() + "'; known tasks: " + String.join(", ", tasks.taskSet().tasks().stream().map(Task::name).toList())));
        try {
            return periodic(task, p, postpone).key(key).zone(ZoneId.of(p.getZone()));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }

    private static <A> PeriodicTask<A> periodic(Task<A> task, PostponeProperties.Periodic p, Postpone postpone) {
        A args;
        try {
            args = postpone.objectMapper().readValue(p.getArgs(), task.argsType());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("args " + p.getArgs() + " do not match the arguments of task '" + task.name()
                    + "': " + e.getMessage(), e);
        }
        return PeriodicTask.of(task, p.getCron(), args);
    }
}
