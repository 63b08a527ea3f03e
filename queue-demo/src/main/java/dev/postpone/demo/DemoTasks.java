package dev.postpone.demo;

import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.TaskSetProvider;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.PeriodicTaskProvider;
import java.time.Duration;
import java.util.List;

/**
 * The demo application's tasks, each showing one feature: arguments as records, retries of a flaky
 * call, a lock that serialises jobs, a slow job that honours cancellation, a result kept with the job,
 * and a periodic task.
 * Registered in META-INF/services so {@code postpone worker} finds them on the classpath.
 */
public final class DemoTasks implements TaskSetProvider, PeriodicTaskProvider {

    /** A welcome email: arguments are a record, stored as JSON. */
    public record WelcomeEmail(String to, String name) {
    }

    /** A payment; charging fails on the first attempt (and always for a declined card). */
    public record Payment(String orderId, long cents, boolean declined) {
    }

    /** A report that must not be rebuilt twice at once. */
    public record Report(String name) {
    }

    /** A slow export. */
    public record Export(String dataset, int seconds) {
    }

    /** An invoice to render, one page at a time. */
    public record Invoice(String orderId, int pages) {
    }

    /** What rendering an invoice returns: kept with the job as its result. */
    public record RenderedInvoice(String number, int pages) {
    }

    /** A periodic tick. */
    public record Tick(String source) {
    }

    public static final Task<WelcomeEmail> SEND_WELCOME_EMAIL = Task.named("send-welcome-email", WelcomeEmail.class)
            .queue("emails")
            .action((ctx, email) -> ctx.logger().info("sending welcome email to {} <{}>", email.name(), email.to()));

    public static final Task<Payment> CHARGE_PAYMENT = Task.named("charge-payment", Payment.class)
            .queue("payments")
            .retry(RetryPolicy.fixed(Duration.ofMillis(300), 3))
            .action((ctx, payment) -> {
                // A flaky payment provider: the first attempt times out, the retry goes through.
                if (payment.declined()) throw new IllegalStateException("card declined for order " + payment.orderId());
                if (ctx.attempt() == 1) throw new java.io.IOException("payment provider timed out (order " + payment.orderId() + ")");
                ctx.logger().info("charged {} cents for order {} on attempt {}", payment.cents(), payment.orderId(), ctx.attempt());
            });

    public static final Task<Report> REBUILD_REPORT = Task.named("rebuild-report", Report.class)
            .queue("reports")
            .lock("reports")
            .action((ctx, report) -> {
                ctx.logger().info("rebuilding report {} (one at a time: lock 'reports')", report.name());
                Thread.sleep(300);
            });

    public static final Task<Export> SLOW_EXPORT = Task.named("slow-export", Export.class)
            .queue("exports")
            .timeout(Duration.ofSeconds(30))
            .action((ctx, export) -> {
                for (int i = 0; i < export.seconds() * 10; i++) {
                    ctx.throwIfCancelled();
                    Thread.sleep(100);
                }
                ctx.logger().info("exported {} in {} s", export.dataset(), export.seconds());
            });

    /**
     * Returns a result, which the job keeps ({@code postpone jobs show}). New in 1.1.0, on a queue of its
     * own: during a rolling upgrade only workers that know the task serve that queue.
     */
    public static final Task<Invoice> RENDER_INVOICE = Task.named("render-invoice", Invoice.class)
            .queue("invoices")
            .handler((ctx, invoice) -> {
                for (int page = 1; page <= invoice.pages(); page++) {
                    Thread.sleep(100); // a page takes a while; stopping the job interrupts the sleep
                }
                ctx.logger().info("rendered invoice for order {} ({} pages)", invoice.orderId(), invoice.pages());
                return new RenderedInvoice("INV-" + invoice.orderId(), invoice.pages());
            });

    public static final Task<Tick> HEARTBEAT = Task.named("heartbeat", Tick.class)
            .queue("periodic")
            .action((ctx, tick) -> ctx.logger().info("periodic heartbeat from {}", tick.source()));

    /** Every 2 seconds, deferred once per tick however many workers run. */
    public static final PeriodicTask<Tick> EVERY_TWO_SECONDS = PeriodicTask.of(HEARTBEAT, "0/2 * * * * *", new Tick("demo"));

    @Override
    public TaskSet tasks() {
        return TaskSet.of(SEND_WELCOME_EMAIL, CHARGE_PAYMENT, REBUILD_REPORT, SLOW_EXPORT, RENDER_INVOICE, HEARTBEAT);
    }

    @Override
    public List<PeriodicTask<?>> periodicTasks() {
        return List.of(EVERY_TWO_SECONDS);
    }
}
