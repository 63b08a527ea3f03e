package dev.postpone.spring.boot;

import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.TaskSetProvider;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every task of the application: its {@code Task} beans (including the {@link PostponeTask} methods),
 * the tasks of its {@code TaskSet} and {@code TaskSetProvider} beans. The client and the worker are
 * built with {@link #taskSet()}. One task reached twice (a bean that is also in a set) counts once; two
 * tasks under one name stop the start-up, naming both sources.
 */
public final class PostponeTasks {

    private final TaskSet taskSet = TaskSet.of();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<Task<?>, Boolean> added = new IdentityHashMap<>();

    /** {@code tasks}: the {@code Task} beans by bean name. */
    PostponeTasks(Map<String, ?> tasks, Map<String, TaskSet> taskSets, Map<String, TaskSetProvider> providers) {
        tasks.forEach((bean, task) -> add((Task<?>) task, "bean '" + bean + "'"));
        taskSets.forEach((bean, set) -> set.tasks().forEach(task -> add(task, "TaskSet bean '" + bean + "'")));
        providers.forEach((bean, provider) -> provider.tasks().tasks()
                .forEach(task -> add(task, "TaskSetProvider bean '" + bean + "'")));
    }

    private void add(Task<?> task, String source) {
        if (added.put(task, Boolean.TRUE) != null) return;
        List<String> names = new ArrayList<>(task.aliases());
        names.addFirst(task.name());
        for (String name : names) {
            String other = sources.get(name);
            if (other != null) {
                throw new IllegalStateException("two tasks are named '" + name + "': one from " + other + ", one from "
                        + source + "; task names and aliases must be unique in the application");
            }
        }
        names.forEach(name -> sources.put(name, source));
        taskSet.add(task);
    }

    /** The application's tasks. */
    public TaskSet taskSet() {
        return taskSet;
    }
}
