package dev.postpone.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code ./postpone} launcher keeps a class-data sharing archive per command. When a run records one
 * (the JVM writes it at exit, {@code -XX:ArchiveClassesAtExit}), the launcher names it in {@link #PROPERTY};
 * the run then says here whether it is worth keeping: it is once the command has loaded what its runs need,
 * at the end of a short command that succeeded or once a worker has started. A run that fails early (no
 * database configured, say) loaded too few classes, and its recording is thrown away by the next launch.
 * The mark is a file beside the recording, {@code <archive>.ok-<pid>}; failures to write it are ignored,
 * the archive only makes later starts faster.
 */
final class ClassDataArchive {

    static final String PROPERTY = "postpone.cds.archive";

    private ClassDataArchive() {
    }

    /** Marks this run's recording as worth keeping, if it records one. */
    static void keepRecording() {
        String archive = System.getProperty(PROPERTY);
        if (archive == null || archive.isBlank()) return;
        try {
            Files.writeString(Path.of(archive + ".ok-" + ProcessHandle.current().pid()), "");
        } catch (Exception e) {
            // Not kept: a later run records again.
        }
    }
}
