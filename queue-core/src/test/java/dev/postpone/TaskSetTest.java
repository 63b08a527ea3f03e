package dev.postpone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskSetTest {

    static final Task<String> RENAMED = Task.named("billing.invoice", String.class).aliases("invoice", "make-invoice")
            .action((c, a) -> { });

    @Test
    void findsTasksByNameAndByAlias() {
        TaskSet set = TaskSet.of(RENAMED);
        assertThat(set.find("billing.invoice")).containsSame(RENAMED);
        assertThat(set.find("invoice")).as("a job queued under the old name still finds the task").containsSame(RENAMED);
        assertThat(set.find("nope")).isEmpty();
    }

    @Test
    void refusesDuplicateNamesAndAliasesAtRegistration() {
        Task<String> clash = Task.named("invoice", String.class).action((c, a) -> { });
        assertThatThrownBy(() -> TaskSet.of(RENAMED, clash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task name 'invoice' is already registered");
    }

    @Test
    void unknownNamesFailWithTheKnownOnes() {
        assertThatThrownBy(() -> TaskSet.of(RENAMED).require("invocie"))
                .isInstanceOf(UnknownTaskException.class)
                .hasMessageContaining("unknown task 'invocie'")
                .hasMessageContaining("billing.invoice");
    }

    @Test
    void invalidDefinitionsAreRefused() {
        assertThatThrownBy(() -> Task.named(" ", String.class)).hasMessageContaining("task name must not be blank");
        assertThatThrownBy(() -> Task.named("t", String.class).queue("q".repeat(129))).hasMessageContaining("longer than 128");
        assertThatThrownBy(() -> new DeferOptions(null, null, null, null, java.time.Instant.now(), java.time.Duration.ZERO, null))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> DeferOptions.defaults().maxAttempts(0)).hasMessageContaining("at least 1");
    }
}
