package dev.postpone.cli.e2e;

import dev.postpone.Task;
import dev.postpone.retry.RetryPolicy;
import java.time.Duration;

/**
 * The application that {@code DeferByNameEndToEndTest} names with {@code postpone defer --app}: a task
 * that sets every default a job can take from its task, in a public static field.
 */
public final class InvoiceTasks {

    private InvoiceTasks() {
    }

    /** Arguments of {@link #SEND_INVOICE}. */
    public record Invoice(String customer, long number) {
    }

    public static final Task<Invoice> SEND_INVOICE = Task.named("send-invoice", Invoice.class)
            .queue("billing")
            .priority(7)
            .lockBy(invoice -> "customer:" + invoice.customer())
            .queueingLockBy(invoice -> "invoice:" + invoice.number())
            .retry(RetryPolicy.fixed(Duration.ofSeconds(1), 5))
            .action((context, invoice) -> { });
}
