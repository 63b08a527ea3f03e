package dev.postpone.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.demo.DemoApp;
import dev.postpone.schema.MigrationTarget;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.Release;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postpone demo}: the demo application, on an embedded PostgreSQL when no database is configured. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "Run the demo application and print what happened to its jobs.",
                "It applies the schema, defers a few jobs (records as arguments, a flaky task that is retried, a",
                "lock, a scheduled job, a periodic task, a slow task), runs a worker until they are done, and prints",
                "a summary per task. Without a configured database it starts an embedded PostgreSQL in a temporary",
                "directory and removes it afterwards. Jobs stay in a configured database."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LogFormatOption logFormat;

    @Override
    public Integer call() throws Exception {
        boolean verbose = spec.commandLine().getParseResult().hasMatchedOption("--verbose");
        Logging.configure(logFormat.format, verbose ? ch.qos.logback.classic.Level.INFO : ch.qos.logback.classic.Level.WARN);
        ConnectionOptions db = ConnectionOptions.of(spec);
        PrintWriter out = spec.commandLine().getOut();
        try (DatabaseOrEmbedded database = DatabaseOrEmbedded.open(db.databaseUrl, System.getenv(), out)) {
            DatabaseTarget target = database.target();
            ConnectionOptions.probe(target.dataSource(), target);
            try (HikariDataSource pool = Pools.open(target, 12, "postpone-demo")) {
                Migrator.builder(pool).schema(db.schemaName()).listener(new MigrationProgress(spec.commandLine().getErr()))
                        .build().migrate(MigrationTarget.ALL, Release.current());
                out.println("schema " + db.schemaName() + " is at release " + Release.current());
                new DemoApp(pool, db.schemaName().value(), out).run();
            }
        }
        return ExitCode.OK.code();
    }

}
