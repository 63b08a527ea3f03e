package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so this keeps it valid YAML with the
 * documented production order: the worker starts only after the migration completed successfully.
 */
class DockerComposeTest {

    @Test
    void workerWaitsForASuccessfulMigration() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        assertThat(services.fieldNames()).toIterable().containsExactlyInAnyOrder("postgres", "migrate", "worker");
        assertThat(services.at("/worker/depends_on/migrate/condition").asText()).isEqualTo("service_completed_successfully");
        assertThat(services.at("/migrate/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/migrate/command").toString()).contains("\"schema\",\"migrate\",\"--phase\",\"all\"");
        assertThat(services.at("/worker/environment/POSTPONE_DATABASE_URL").asText()).startsWith("jdbc:postgresql://postgres:5432/");
    }

    /** The published metrics port answers only if the endpoint listens beyond the container's loopback. */
    @Test
    void publishedMetricsPortIsServedOnEveryInterfaceOfTheContainer() throws IOException {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docker-compose.yml").toFile()).get("services");
        List<String> command = new ArrayList<>();
        services.at("/worker/command").forEach(n -> command.add(n.asText()));
        assertThat(command).containsSequence("--metrics-port", "9400").containsSequence("--metrics-bind", "0.0.0.0");
        assertThat(services.at("/worker/ports/0").asText()).endsWith(":9400:9400");

        CommandLine.ParseResult parsed = PostponeCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .parseArgs(command.toArray(String[]::new));
        assertThat(parsed.subcommand().<InetAddress>matchedOptionValue("--metrics-bind", null)).as("the worker accepts the command")
                .isEqualTo(InetAddress.getByName("0.0.0.0"));
    }

    /** A local PostgreSQL on 5432 must not stop `docker compose up`; the docs name the port and the variable. */
    @Test
    void postgresIsPublishedBesideALocalPostgresql() throws IOException {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docker-compose.yml").toFile()).get("services");
        assertThat(services.at("/postgres/ports/0").asText()).isEqualTo("127.0.0.1:${POSTPONE_POSTGRES_PORT:-5433}:5432");
        assertThat(Files.readString(Path.of("..", "docs", "getting-started.md"))).contains("localhost:5433").contains("POSTPONE_POSTGRES_PORT");
    }
}
