package dev.postpone.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/** The connection pool of the long-running commands (worker, demo). */
final class Pools {

    /**
     * Connections are opened when asked for, not up front (HikariCP's default fills the pool to its
     * maximum); one is kept ready, and others left idle go back to the server after a short while.
     */
    private static final int MINIMUM_IDLE = 1;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private Pools() {
    }

    static HikariDataSource open(DatabaseTarget target, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbcUrl());
        if (target.user() != null) config.setUsername(target.user());
        if (target.password() != null) config.setPassword(target.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(MINIMUM_IDLE, size));
        config.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        config.setPoolName(name);
        config.addDataSourceProperty("ApplicationName", name);
        return new HikariDataSource(config);
    }
}
