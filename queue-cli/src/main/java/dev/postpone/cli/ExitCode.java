package dev.postpone.cli;

/**
 * The exit codes of {@code postpone}, stable across releases so that deploy scripts and probes can
 * branch on them. Rendered into {@code postpone --help} and docs/cli.md from this one place.
 */
public enum ExitCode {
    OK(0, "success; plan: nothing is pending; healthcheck: healthy"),
    FAILED(1, "the command failed (the message says why)"),
    USAGE(2, "invalid command line or input (unknown option, bad value, malformed JSON)"),
    UNREACHABLE(3, "cannot connect to the database"),
    SCHEMA_NOT_READY(4, "the Postpone schema is missing, too old or too new for this release"),
    NOT_FOUND(5, "no such job"),
    CONFLICT(6, "the job is not in a state that allows it, or its queueing lock is taken"),
    NOT_CONFIRMED(7, "jobs cancel/retry/delete over a filter not confirmed (answer y, or pass --yes); nothing changed"),
    PENDING(10, "plan: migration steps are pending (and nothing blocks them)"),
    OLDER_WORKERS_ALIVE(11, "migrate refused: workers or clients of an older release are alive (stop them, or --force)"),
    BLOCKED(12, "plan: migrate would refuse (changed, unknown or out-of-order steps; post before pre)"),
    SCHEMA_DIFFERS(13, "verify: the schema differs from its steps, or a role has more than schema grant gives"),
    INTERRUPTED(130, "worker/demo stopped by SIGINT (Ctrl-C) after a clean shutdown"),
    TERMINATED(143, "worker stopped by SIGTERM after a clean shutdown");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
