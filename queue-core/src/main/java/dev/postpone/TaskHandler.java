package dev.postpone;

/**
 * The code a task runs for one job. Return normally and the job succeeded (the result is logged,
 * not stored); throw and the task's retry policy decides whether it runs again.
 *
 * @param <A> the task's argument type
 */
@FunctionalInterface
public interface TaskHandler<A> {

    Object handle(JobContext context, A args) throws Exception;
}
