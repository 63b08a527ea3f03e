package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.admin.Job;

/** Looks a job up by id, failing with {@link ExitCode#NOT_FOUND} when there is none. */
final class JobId {

    private JobId() {
    }

    static Job require(Postpone client, long id) {
        return client.jobs().get(id).orElseThrow(() -> notFound(client, id));
    }

    static CliException notFound(Postpone client, long id) {
        return new CliException(ExitCode.NOT_FOUND, "no job " + id + " in schema " + client.schema());
    }
}
