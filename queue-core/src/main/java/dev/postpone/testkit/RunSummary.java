package dev.postpone.testkit;

/** What {@link PostponeTestKit#runDeferred()} did: jobs run, and how their attempts ended. */
public record RunSummary(int succeeded, int failed, int retried) {

    public int ran() {
        return succeeded + failed + retried;
    }
}
