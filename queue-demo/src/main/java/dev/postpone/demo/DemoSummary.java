package dev.postpone.demo;

import java.util.Map;

/**
 * How the demo's jobs ended, per task.
 *
 * @param byTask counts per task name, in a stable order
 */
public record DemoSummary(Map<String, TaskCounts> byTask) {

    /** Jobs of one task: finished well, failed for good, and how many needed more than one attempt. */
    public record TaskCounts(long succeeded, long failed, long retried) {
    }

    public long total(java.util.function.ToLongFunction<TaskCounts> field) {
        return byTask.values().stream().mapToLong(field).sum();
    }

    /** Jobs of {@code task} that finished, well or for good; 0 when the task has no row. */
    public long finished(String task) {
        TaskCounts counts = byTask.get(task);
        return counts == null ? 0 : counts.succeeded() + counts.failed();
    }

    /** The summary as an aligned table. */
    public String table() {
        int width = Math.max(4, byTask.keySet().stream().mapToInt(String::length).max().orElse(4));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-" + width + "s  %9s  %6s  %7s%n", "TASK", "SUCCEEDED", "FAILED", "RETRIED"));
        byTask.forEach((task, c) -> sb.append(String.format("%-" + width + "s  %9d  %6d  %7d%n", task, c.succeeded(), c.failed(), c.retried())));
        return sb.toString();
    }
}
