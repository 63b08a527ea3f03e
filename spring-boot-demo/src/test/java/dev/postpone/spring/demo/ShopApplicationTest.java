package dev.postpone.spring.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.Postpone;
import dev.postpone.admin.JobSelection;
import dev.postpone.admin.JobStatus;
import dev.postpone.spring.boot.PostponeHealthIndicator;
import dev.postpone.spring.demo.Receipts.SendReceipt;
import dev.postpone.testing.SpringTestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The demo shop against a real database: an order's receipt is sent, a failed order sends nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ShopApplicationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", SpringTestDatabases.create(ShopApplicationTest.class)::jdbcUrl);
    }

    @Autowired Orders orders;
    @Autowired Receipts receipts;
    @Autowired Postpone postpone;
    @Autowired PostponeHealthIndicator health;

    @Test
    void a_placed_order_gets_its_receipt_from_the_worker() throws Exception {
        Orders.Placed order = orders.place("ada@example.com", 4_200);

        long job = order.receiptJobId();
        assertThat(postpone.jobs().awaitFinished(List.of(job), Duration.ofSeconds(20))).containsEntry(job, JobStatus.SUCCEEDED);
        assertThat(receipts.sent()).contains(new SendReceipt(order.orderId(), "ada@example.com"));
        assertThat(health.health(true).getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void an_order_that_fails_leaves_neither_an_order_nor_a_receipt_job() {
        long ordersBefore = orders.count();
        long jobsBefore = receiptJobs();

        assertThatThrownBy(() -> orders.place("not-an-email", 100)).isInstanceOf(IllegalArgumentException.class);

        assertThat(orders.count()).isEqualTo(ordersBefore);
        assertThat(receiptJobs()).isEqualTo(jobsBefore);
    }

    private long receiptJobs() {
        return postpone.jobs().count(new JobSelection(List.of(), null, "send-receipt", Set.of()));
    }
}
