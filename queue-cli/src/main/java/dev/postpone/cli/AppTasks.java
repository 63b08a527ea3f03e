package dev.postpone.cli;

import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.TaskSetProvider;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.PeriodicTaskProvider;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * An application's tasks as the CLI finds them: from classes named with {@code --app}, else from the
 * {@link TaskSetProvider}s registered on the classpath (including jars added with {@code --classpath}).
 *
 * @param tasks    every task found (empty when the application is not on the classpath)
 * @param periodic the periodic tasks found ({@link PeriodicTaskProvider}s, or public static
 *                 {@link PeriodicTask} fields of an {@code --app} class)
 * @param sources  the classes they came from, for log lines and messages
 * @param loader   the class loader that loaded them; the worker runs handlers with it as context loader
 */
record AppTasks(TaskSet tasks, List<PeriodicTask<?>> periodic, List<String> sources, ClassLoader loader) {

    /** The demo's provider ships inside the CLI jar; it is the demo command's, not the user's application. */
    static final String DEMO_PACKAGE = "dev.postpone.demo.";

    static AppTasks load(List<String> appClasses, String classpath, boolean includeDemo) {
        ClassLoader loader = classLoader(classpath);
        TaskSet tasks = TaskSet.of();
        List<PeriodicTask<?>> periodic = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        if (!appClasses.isEmpty()) {
            for (String name : appClasses) {
                Class<?> type = load(name, loader);
                tasks.addAll(fromClass(type));
                periodic.addAll(periodicFromClass(type));
                sources.add(name);
            }
            return new AppTasks(tasks, List.copyOf(periodic), sources, loader);
        }
        for (ServiceLoader.Provider<TaskSetProvider> p : ServiceLoader.load(TaskSetProvider.class, loader).stream().toList()) {
            if (!includeDemo && p.type().getName().startsWith(DEMO_PACKAGE)) continue;
            tasks.addAll(p.get().tasks());
            sources.add(p.type().getName());
        }
        for (ServiceLoader.Provider<PeriodicTaskProvider> p : ServiceLoader.load(PeriodicTaskProvider.class, loader).stream().toList()) {
            if (!includeDemo && p.type().getName().startsWith(DEMO_PACKAGE)) continue;
            periodic.addAll(p.get().periodicTasks());
        }
        return new AppTasks(tasks, List.copyOf(periodic), sources, loader);
    }

    /** A class's periodic tasks: its {@link PeriodicTaskProvider} implementation, or its public static fields. */
    private static List<PeriodicTask<?>> periodicFromClass(Class<?> type) {
        if (PeriodicTaskProvider.class.isAssignableFrom(type)) {
            try {
                return ((PeriodicTaskProvider) type.getConstructor().newInstance()).periodicTasks();
            } catch (ReflectiveOperationException e) {
                throw new CliException(ExitCode.USAGE, "--app class " + type.getName()
                        + " needs a public no-argument constructor (" + e + ")", e);
            }
        }
        List<PeriodicTask<?>> periodic = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !PeriodicTask.class.isAssignableFrom(f.getType())) continue;
            try {
                periodic.add((PeriodicTask<?>) f.get(null));
            } catch (IllegalAccessException e) {
                throw new CliException(ExitCode.USAGE, "cannot read " + type.getName() + "." + f.getName() + ": " + e.getMessage(), e);
            }
        }
        return periodic;
    }

    private static ClassLoader classLoader(String classpath) {
        ClassLoader parent = AppTasks.class.getClassLoader();
        if (classpath == null || classpath.isBlank()) return parent;
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                throw new CliException(ExitCode.USAGE, "--classpath entry " + entry + " does not exist");
            }
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new CliException(ExitCode.USAGE, "--classpath entry " + entry + " is not a valid path: " + e.getMessage());
            }
        }
        return new URLClassLoader("postpone-app", urls.toArray(URL[]::new), parent);
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, true, loader);
        } catch (ExceptionInInitializerError e) {
            // The class was found: its static initialiser threw (e.g. a bad cron expression). Show that, not a classpath hint.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CliException(ExitCode.USAGE, "--app class " + name + " failed to initialise: "
                    + ConnectionFailure.firstLine(cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CliException(ExitCode.USAGE, "--app class " + name + " cannot be loaded (" + e
                    + "); add its jar or classes directory with --classpath", e);
        }
    }

    /** A provider's tasks, or the Tasks and TaskSets in a class's public static fields. */
    private static TaskSet fromClass(Class<?> type) {
        if (TaskSetProvider.class.isAssignableFrom(type)) {
            try {
                return ((TaskSetProvider) type.getConstructor().newInstance()).tasks();
            } catch (ReflectiveOperationException e) {
                throw new CliException(ExitCode.USAGE, "--app class " + type.getName()
                        + " needs a public no-argument constructor (" + e + ")", e);
            }
        }
        TaskSet tasks = TaskSet.of();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) continue;
            try {
                Object value = f.get(null);
                if (value instanceof Task<?> t) tasks.add(t);
                else if (value instanceof TaskSet s) tasks.addAll(s);
            } catch (IllegalAccessException e) {
                throw new CliException(ExitCode.USAGE, "cannot read " + type.getName() + "." + f.getName() + ": " + e.getMessage(), e);
            }
        }
        if (tasks.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--app class " + type.getName()
                    + " is neither a TaskSetProvider nor has public static Task or TaskSet fields");
        }
        return tasks;
    }
}
