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

    /**
     * The test database's URL with user and password in it, as a user would pass it. Without a password of
     * its own (the server trusts the tests), it carries {@link CapturedOutput#PASSWORD}, which the server never
     * asks for: every captured output is checked for it.
     */
    static String urlWithUser(TestDatabase db) {
        String url = db.jdbcUrl();
        if (db.user() != null && !url.contains("user=")) url += (url.contains("?") ? "&" : "?") + "user=" + db.user();
        if (!url.contains("password=")) {
            url += (url.contains("?") ? "&" : "?") + "password=" + (db.password() != null ? db.password() : CapturedOutput.PASSWORD);
        }
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
        return CapturedOutput.keep(CapturedOutput.commandOf(args), new CliResult(code, out.toString(), err.toString()));
    }
}
