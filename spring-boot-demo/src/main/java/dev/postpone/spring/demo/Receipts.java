package dev.postpone.spring.demo;

import dev.postpone.JobContext;
import dev.postpone.spring.boot.PostponeTask;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/** The shop's tasks: methods the worker calls with each job's arguments. */
@Component
public class Receipts {

    /** The arguments of a receipt job, stored as JSON: {@code {"orderId":1,"email":"ada@example.com"}}. */
    public record SendReceipt(long orderId, String email) {}

    private final List<SendReceipt> sent = new CopyOnWriteArrayList<>();

    @PostponeTask(name = "send-receipt", queue = "emails", maxAttempts = 5, backoff = "2s", timeout = "30s")
    public void send(SendReceipt receipt, JobContext context) {
        context.logger().info("receipt.sent order_id={} email={}", receipt.orderId(), receipt.email());
        sent.add(receipt);
    }

    /** Deferred by the worker on the schedule in application.properties (postpone.periodic.nightly-report). */
    @PostponeTask(name = "sales-report", queue = "reports")
    public void report(JobContext context) {
        context.logger().info("report.sent receipts_so_far={}", sent.size());
    }

    /** What was sent so far (a real shop would call its mail service instead). */
    public List<SendReceipt> sent() {
        return List.copyOf(sent);
    }
}
