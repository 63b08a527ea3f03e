package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker with default settings must start and run jobs when the optional jars (Prometheus registry,
 * pgjdbc-ng and its Netty) are not on the class path, as in an application that only depends on
 * postpone-worker. Runs in a separate JVM whose class path leaves them out.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(120)
class OptionalDependenciesTest {

    private static final List<String> OPTIONAL = List.of("micrometer-registry-prometheus", "prometheus-metrics", "pgjdbc-ng",
            "netty-", "/spy-");

    @Test
    void aDefaultWorkerRunsWithoutTheOptionalJars(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> OPTIONAL.stream().noneMatch(entry::contains))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("micrometer-registry-prometheus").contains("postgresql");

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, WithoutOptionalJarsMain.class.getName(), db.jdbcUrl(), db.user() == null ? "" : db.user())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as("worker output").contains("ok succeeded").doesNotContain("NoClassDefFoundError");
        assertThat(child.exitValue()).isZero();
    }
}
