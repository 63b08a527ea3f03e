package dev.postpone.worker;

import java.util.List;

/**
 * How the {@code postpone worker} command finds an application's periodic tasks: implement it on the
 * same class as your {@link dev.postpone.TaskSetProvider} (then {@code --app} finds both), or list the
 * class in {@code META-INF/services/dev.postpone.worker.PeriodicTaskProvider}. Their tasks must be in
 * the application's task set. A Java application that builds its own worker passes them to
 * {@link Worker.Builder#periodic} instead.
 */
public interface PeriodicTaskProvider {

    List<PeriodicTask<?>> periodicTasks();
}
