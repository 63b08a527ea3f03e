package dev.postpone.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --app} and {@code --classpath}: where the application's tasks come from. */
public final class AppOptions {

    @Option(names = "--app", paramLabel = "CLASS",
            description = "A TaskSetProvider, or a class whose public static fields hold Tasks or TaskSets (repeatable)."
                    + " Default: every TaskSetProvider listed in META-INF/services on the classpath.")
    List<String> appClasses = new ArrayList<>();

    @Option(names = "--classpath", paramLabel = "JARS",
            description = "Jars or directories with the application's classes, separated by '${sys:path.separator}'.")
    String classpath;

    /** The application's tasks, loaded as these options say. */
    AppTasks load() {
        return AppTasks.load(appClasses, classpath, false);
    }
}
