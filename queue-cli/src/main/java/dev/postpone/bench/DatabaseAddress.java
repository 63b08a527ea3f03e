package dev.postpone.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Where the benchmark runs: a JDBC URL and optional credentials. */
public record DatabaseAddress(String jdbcUrl, String user, String password) {

    /** A non-pooled data source: each component opens its own connections, as a worker would. */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        if (user != null) ds.setUser(user);
        if (password != null) ds.setPassword(password);
        return ds;
    }

    /** A small HikariCP pool, as an application would give the client. */
    public HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource());
        config.setMaximumPoolSize(size);
        config.setPoolName("postpone-bench");
        return new HikariDataSource(config);
    }
}
