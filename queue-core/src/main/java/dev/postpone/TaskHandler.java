package dev.postpone;

/**
 * The code a task runs for one job. Return normally and the job succeeded; throw and the task's retry
 * policy decides whether it runs again. A non-null return value is the job's result: written as JSON
 * with the worker's ObjectMapper and stored with the job ({@code Job.result()}, {@code postpone jobs
 * show}), up to 64 KiB. A larger value, or one that cannot be written as JSON, is not stored; the job
 * still succeeds, and its attempt history says why the result is missing. Return {@code null} (or use
 * {@link Task.Builder#action}) when there is nothing worth keeping.
 *
 * @param <A> the task's argument type
 */
@FunctionalInterface
public interface TaskHandler<A> {

    Object handle(JobContext context, A args) throws Exception;
}
