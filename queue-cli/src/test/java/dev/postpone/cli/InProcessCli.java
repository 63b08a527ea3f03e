package dev.postpone.cli;

import dev.postpone.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code postpone} commands in the test JVM (fast), against one test database. */
final class InProcessCli {

    private final String databaseUrl;

    InProcessCli(TestDatabase db) {
        this.databaseUrl = urlWithUser(db);
    }

    /** The test database's URL with user and password in it, as a user would pass it. */
    static String urlWithUser(TestDatabase db) {
        String url = db.jdbcUrl();
        String sep = url.contains("?") ? "&" : "?";
        if (db.user() != null && !url.contains("user=")) url += sep + "user=" + db.user();
        if (db.password() != null && !url.contains("password=")) url += "&password=" + db.password();
        return url;
    }

    String databaseUrl() {
        return databaseUrl;
    }

    /** Runs with {@code --database-url} set to the test database. */
    CliResult run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addFirst("--database-url=" + databaseUrl);
        return runRaw(all.toArray(String[]::new));
    }

    static CliResult runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PostponeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliResult(code, out.toString(), err.toString());
    }
}
