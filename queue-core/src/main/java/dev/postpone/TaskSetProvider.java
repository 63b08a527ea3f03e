package dev.postpone;

/**
 * How the {@code postpone worker} command finds an application's tasks: implement this, and list the
 * class in {@code META-INF/services/dev.postpone.TaskSetProvider} (or name it with {@code --app}).
 * The class needs a public no-argument constructor.
 */
public interface TaskSetProvider {

    TaskSet tasks();
}
