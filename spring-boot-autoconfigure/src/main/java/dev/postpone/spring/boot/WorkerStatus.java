package dev.postpone.spring.boot;

import java.util.Map;

/** What the health indicator reads of the embedded worker, without needing the worker's classes. */
interface WorkerStatus {

    /** True while the worker runs: started, and not stopped by the application or by a schema migration. */
    boolean isRunning();

    /** State, name and jobs in flight, for the health details. */
    Map<String, Object> describe();
}
