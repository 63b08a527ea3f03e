package dev.postpone;

/** Why a running job was asked to stop ({@link JobContext#cancelReason()}). */
public enum CancelReason {
    /** The task's timeout fired: the attempt fails (and is retried per the task's policy). */
    TIMEOUT,
    /**
     * Someone cancelled the job while it ran ({@code postpone jobs cancel}, {@code JobAdmin.cancel}): the
     * attempt ends {@code cancelled} and is not retried, unless the handler returns normally first.
     */
    CANCELLED,
    /** The worker is stopping and its shutdown timeout passed: the job is handed back and runs again. */
    SHUTDOWN
}
