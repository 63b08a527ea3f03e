package dev.postpone.cli;

import dev.postpone.schema.Migrator;
import dev.postpone.schema.RoleAccess;
import dev.postpone.schema.RoleName;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone schema grant --role NAME [--read-only]}: least privilege for applications, workers and dashboards. */
@Command(name = "grant", mixinStandardHelpOptions = true,
        description = {
                "Grant a role what this release's applications and workers need, and nothing on the tables.",
                "That is USAGE on the schema, SELECT on the migration ledger and EXECUTE on the contract's",
                "functions, which run as the schema's owner. --read-only grants only the functions that change",
                "no job (a dashboard, jobs list). Run it as the schema's owner after migrate; it is idempotent.",
                "schema verify reports roles that hold more."})
final class SchemaGrantCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--role", required = true, paramLabel = "NAME", description = "The role to grant to, as PostgreSQL spells it (any characters; quoted for you).")
    String role;

    @Option(names = "--read-only", description = "Only the functions that read: list and show jobs, queues, workers.")
    boolean readOnly;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        RoleAccess access = readOnly ? RoleAccess.READ_ONLY : RoleAccess.CLIENT;
        RoleName name;
        try {
            name = RoleName.of(role);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        List<String> statements = Migrator.builder(db.connect()).schema(db.schemaName()).build().grant(name, access);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, new Granted(db.schemaName().value(), name.value(), access.name().toLowerCase(java.util.Locale.ROOT), statements));
        } else {
            out.println("granted role " + name.quoted() + (readOnly ? " read-only" : " client") + " access to schema "
                    + db.schemaName().quoted() + " (" + statements.size() + " grants)");
        }
        out.flush();
        return ExitCode.OK.code();
    }

    record Granted(String schema, String role, String access, List<String> statements) {
    }
}
