package dev.postpone.schema;

import java.time.Instant;

/** A registered client (an application that defers) seen within its alive window, as the migrator sees it. */
public record LiveClient(String id, String name, String host, long pid, String version, Instant lastSeen) {

    /** True when this client's version is older than {@code release} (or unreadable, which counts as older). */
    public boolean isOlderThan(Release release) {
        return Release.leading(version).map(own -> own.isBefore(release)).orElse(true);
    }

    public String describe() {
        return "client '" + name + "' on " + host + " pid " + pid + " version " + version;
    }
}
