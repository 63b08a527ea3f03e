package dev.postpone.bench;

import java.util.ArrayList;
import java.util.List;

/** A JVM the bench starts for one measurement: this JVM's java and class path, the database's credentials in the environment. */
final class ChildJvm {

    private ChildJvm() {
    }

    static ProcessBuilder of(DatabaseAddress database, Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        // Credentials travel in the environment, not on the command line (visible to ps).
        if (database.user() != null) pb.environment().put(WorkerProcess.USER_VARIABLE, database.user());
        if (database.password() != null) pb.environment().put(WorkerProcess.PASSWORD_VARIABLE, database.password());
        return pb;
    }
}
