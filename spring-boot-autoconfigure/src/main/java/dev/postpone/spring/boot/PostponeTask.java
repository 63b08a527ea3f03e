package dev.postpone.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method of a Spring bean a Postpone task: the worker calls it for each job, with the job's JSON
 * arguments read into the method's argument parameter (a record, any Jackson-mappable class, or none).
 * A {@link dev.postpone.JobContext} parameter, in any position, receives the running job's context.
 * Returning normally completes the job; an exception fails the attempt and the retry settings decide.
 *
 * <pre>{@code
 * @Component
 * class Receipts {
 *     @PostponeTask(name = "send-receipt", queue = "emails", maxAttempts = 5)
 *     void send(SendReceipt receipt) { mailer.send(receipt.email(), "Your order " + receipt.orderId()); }
 * }
 *
 * // elsewhere: the task is a bean, injected by its name
 * Receipts(@Qualifier("send-receipt") Task<SendReceipt> sendReceipt, Postpone postpone)
 * }</pre>
 *
 * <p>The method is called on the bean as the container holds it, so {@code @Transactional} and other
 * proxies apply. Attributes other than {@link #name} may use {@code ${...}} placeholders.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PostponeTask {

    /** The task's name, unique in the application; also the task bean's qualifier. */
    String name();

    /** Earlier names of the task, so jobs deferred under them still run. */
    String[] aliases() default {};

    /** Default queue of the task's jobs (empty: {@value dev.postpone.Task#DEFAULT_QUEUE}). */
    String queue() default "";

    /** Default priority; higher runs first. */
    int priority() default 0;

    /** Attempts allowed in total, the first included; more than 1 retries with exponential backoff. */
    int maxAttempts() default 1;

    /** First retry delay, doubling after each failed attempt (a duration: {@code 500ms}, {@code 2s}, {@code 1m}). */
    String backoff() default "1s";

    /** Longest run of one attempt before it is interrupted and fails (a duration; empty: no limit). */
    String timeout() default "";

    /** Every job of the task takes this lock, so they run one at a time, in order (empty: none). */
    String lock() default "";

    /** At most one job of the task waits at a time (empty: none). */
    String queueingLock() default "";
}
