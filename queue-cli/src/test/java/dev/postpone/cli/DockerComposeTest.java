package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
