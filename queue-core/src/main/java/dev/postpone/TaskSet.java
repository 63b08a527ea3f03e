package dev.postpone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks an application defines, by name and alias. Names (and aliases) are unique: registering a
 * second task under a taken name fails at once rather than running the wrong code later.
 */
public final class TaskSet {

    private final Map<String, Task<?>> byName = new LinkedHashMap<>();
    private final List<Task<?>> tasks = new ArrayList<>();

    private TaskSet() {
    }

    public static TaskSet of(Task<?>... tasks) {
        return new TaskSet().addAll(List.of(tasks));
    }

    public static TaskSet of(Collection<? extends Task<?>> tasks) {
        return new TaskSet().addAll(tasks);
    }

    public TaskSet add(Task<?> task) {
        List<String> names = new ArrayList<>();
        names.add(task.name());
        names.addAll(task.aliases());
        for (String name : names) {
            Task<?> taken = byName.get(name);
            if (taken != null) {
                throw new IllegalArgumentException("task name '" + name + "' is already registered (by " + taken + ")");
            }
        }
        for (String name : names) byName.put(name, task);
        tasks.add(task);
        return this;
    }

    public TaskSet addAll(Collection<? extends Task<?>> more) {
        more.forEach(this::add);
        return this;
    }

    /** Adds every task of {@code other}. */
    public TaskSet addAll(TaskSet other) {
        return addAll(other.tasks);
    }

    /** The task registered under {@code name} or one of its aliases. */
    public Optional<Task<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Like {@link #find} but fails with a message listing the known names. */
    public Task<?> require(String name) {
        return find(name).orElseThrow(() -> new UnknownTaskException(name, "unknown task '" + name + "'; known tasks: "
                + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))));
    }

    public List<Task<?>> tasks() {
        return Collections.unmodifiableList(tasks);
    }

    /** Every queue a task of this set defaults to. */
    public List<String> queues() {
        return tasks.stream().map(Task::queue).distinct().toList();
    }

    public boolean isEmpty() {
        return tasks.isEmpty();
    }
}
