package dev.postpone.cli;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database a command talks to, and where its address came from (so error messages can name the
 * setting to fix). Accepts JDBC URLs ({@code jdbc:postgresql://host:5432/db?user=u}) and libpq URIs
 * ({@code postgresql://u:secret@host:5432/db}).
 *
 * <p>Credentials never stay in {@link #jdbcUrl}: {@code user=} and {@code password=} parameters and a
 * {@code user:password@} are taken out into {@link #user} and {@link #password}, so the URL can be handed to
 * pools and drivers (whose errors quote it), to child processes and to messages without carrying the secret.
 *
 * @param jdbcUrl  the URL without user and password
 * @param source   the setting it came from, e.g. {@code --database-url}
 */
public record DatabaseTarget(String jdbcUrl, String user, String password, String source) {

    static final String URL_VARIABLE = "POSTPONE_DATABASE_URL";

    /**
     * {@code --database-url}, else {@code POSTPONE_DATABASE_URL}, else the standard PG* variables
     * (when at least PGHOST, PGDATABASE or PGUSER is set); empty when nothing is configured.
     */
    public static Optional<DatabaseTarget> resolve(String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) return Optional.of(parse(option, "--database-url"));
        String url = env.get(URL_VARIABLE);
        if (url != null && !url.isBlank()) return Optional.of(parse(url, URL_VARIABLE));
        if (env.containsKey("PGHOST") || env.containsKey("PGDATABASE") || env.containsKey("PGUSER")) {
            String user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
            String url2 = "jdbc:postgresql://" + hostPort(env.getOrDefault("PGHOST", "localhost"), env.getOrDefault("PGPORT", "5432"))
                    + "/" + env.getOrDefault("PGDATABASE", user);
            return Optional.of(new DatabaseTarget(url2, user, env.get("PGPASSWORD"), "the PG* environment variables"));
        }
        return Optional.empty();
    }

    /** Like {@link #resolve} but fails with what to set when nothing is configured. */
    public static DatabaseTarget require(String option, Map<String, String> env) {
        return resolve(option, env).orElseThrow(() -> new CliException(ExitCode.USAGE,
                "no database configured; pass --database-url, set " + URL_VARIABLE + ", or set PGHOST/PGDATABASE/PGUSER"));
    }

    static DatabaseTarget parse(String text, String source) {
        String t = text.strip();
        DatabaseTarget target;
        if (t.startsWith("jdbc:postgresql:")) target = fromJdbcUrl(t, source);
        else if (t.startsWith("postgres://") || t.startsWith("postgresql://")) target = fromLibpqUri(t, source);
        else throw new CliException(ExitCode.USAGE, "not a PostgreSQL URL in " + source
                + ": expected jdbc:postgresql://host:port/database or postgresql://user@host:port/database");
        return target.withCredentialParametersTakenOut();
    }

    /** pgjdbc takes no {@code user:password@} in its URLs; accepted here as libpq does, and taken out. */
    private static DatabaseTarget fromJdbcUrl(String text, String source) {
        String prefix = "jdbc:postgresql://";
        if (!text.startsWith(prefix)) return new DatabaseTarget(text, null, null, source);
        String rest = text.substring(prefix.length());
        int authorityEnd = indexOfAny(rest, "/?");
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at < 0) return new DatabaseTarget(text, null, null, source);
        String[] userInfo = authority.substring(0, at).split(":", 2);
        String url = prefix + authority.substring(at + 1) + (authorityEnd < 0 ? "" : rest.substring(authorityEnd));
        return new DatabaseTarget(url, userInfo[0].isEmpty() ? null : decode(userInfo[0]), userInfo.length == 2 ? decode(userInfo[1]) : null, source);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) return i;
        }
        return -1;
    }

    /**
     * This target with {@code user=} and {@code password=} query parameters moved out of the URL into its
     * fields (the parameters win over a {@code user:password@}), so that credentials travel one way only.
     */
    private DatabaseTarget withCredentialParametersTakenOut() {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) return this;
        String u = user;
        String p = password;
        StringBuilder kept = new StringBuilder();
        for (String parameter : jdbcUrl.substring(q + 1).split("&")) {
            if (parameter.startsWith("user=")) u = decode(parameter.substring("user=".length()));
            else if (parameter.startsWith("password=")) p = decode(parameter.substring("password=".length()));
            else if (!parameter.isEmpty()) kept.append(kept.isEmpty() ? "?" : "&").append(parameter);
        }
        return new DatabaseTarget(jdbcUrl.substring(0, q) + kept, u, p, source);
    }

    private static DatabaseTarget fromLibpqUri(String text, String source) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            // Not e.getMessage(): it quotes the whole input, password and all.
            String reason = e.getCause() instanceof java.net.URISyntaxException s ? s.getReason() + " at index " + s.getIndex() : "malformed";
            throw new CliException(ExitCode.USAGE, "not a valid URL in " + source + ": " + reason);
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length == 2) password = decode(parts[1]);
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        String port = uri.getPort() < 0 ? "5432" : Integer.toString(uri.getPort());
        String path = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "/" + (user == null ? "postgres" : user) : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new DatabaseTarget("jdbc:postgresql://" + hostPort(host, port) + path + query, user, password, source);
    }

    private static String hostPort(String host, String port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** This target, with {@code other}'s user and password where it names none. */
    DatabaseTarget withCredentialsOf(DatabaseTarget other) {
        return new DatabaseTarget(jdbcUrl, user != null ? user : other.user(), password != null ? password : other.password(), source);
    }

    /** {@code host:port} as the URL names it, for messages. */
    public String address() {
        String rest = jdbcUrl.substring("jdbc:postgresql:".length());
        if (!rest.startsWith("//")) return "localhost:5432";
        String authority = rest.substring(2);
        int end = authority.indexOf('/');
        if (end >= 0) authority = authority.substring(0, end);
        int q = authority.indexOf('?');
        if (q >= 0) authority = authority.substring(0, q);
        if (authority.isEmpty()) return "localhost:5432";
        return authority.contains(":") && !authority.endsWith("]") ? authority : authority + ":5432";
    }

    /** A non-pooled data source: each connection is a new session, which suits short commands. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        if (user != null) ds.setUser(user);
        if (password != null) ds.setPassword(password);
        if (!jdbcUrl.contains("connectTimeout=")) ds.setConnectTimeout(10);
        if (!jdbcUrl.contains("ApplicationName=")) ds.setApplicationName("postpone-cli");
        return ds;
    }
}
