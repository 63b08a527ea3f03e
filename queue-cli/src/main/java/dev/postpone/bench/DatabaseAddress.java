package dev.postpone.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Where the benchmark runs: a JDBC URL (without the password) and optional credentials. */
public record DatabaseAddress(String jdbcUrl, String user, String password) {

    /**
     * The URL with the credentials as parameters, for what takes nothing but a URL (the pgjdbc-ng
     * listener). It holds the password: never print it or pass it on a command line.
     */
    public String urlWithCredentials() {
        StringBuilder url = new StringBuilder(jdbcUrl);
        if (user != null) url.append(url.indexOf("?") < 0 ? '?' : '&').append("user=").append(encode(user));
        if (password != null) url.append(url.indexOf("?") < 0 ? '?' : '&').append("password=").append(encode(password));
        return url.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

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
