package dev.postpone.schema;

import java.time.Instant;

/** A registered worker with a recent heartbeat, as the migrator sees it. */
public record LiveWorker(long id, String name, String host, long pid, String release, Instant lastHeartbeat) {

    /** The worker's release, or null when it is not a release string this migrator understands. */
    public Release releaseOrNull() {
        return Release.leading(release).orElse(null);
    }

    /** True when this worker's release is older than {@code release} (or unreadable, which counts as older). */
    public boolean isOlderThan(Release release) {
        Release own = releaseOrNull();
        return own == null || own.isBefore(release);
    }

    public String describe() {
        return "worker " + id + " '" + name + "' on " + host + " pid " + pid + " release " + release;
    }
}
