package dev.postpone.cli;

import dev.postpone.schema.Migrator;
import dev.postpone.schema.VerifyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postpone schema verify}: does the live schema match what its applied steps create? */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
                "Compare the live schema with a scratch install of its applied steps, and look for invalid indexes.",
                "It also reports roles with more privileges than schema grant gives (tables, other functions).",
                "The scratch install goes into a temporary schema that is dropped afterwards.",
                "Exit 0 when it matches, 13 when it differs or a role holds more,", "4 when there is no Postpone schema to verify."})
final class SchemaVerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        VerifyReport report = Migrator.builder(db.connect()).schema(db.schemaName()).build().verify();
        if (!report.installed() && !output.json) throw new CliException(ExitCode.SCHEMA_NOT_READY, report.problems().getFirst());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, report);
        } else if (report.ok()) {
            out.println("schema " + report.schema() + " matches its applied migration steps");
        } else {
            report.problems().forEach(p -> out.println("problem: " + p));
            report.differences().forEach(d -> out.println("differs: " + d));
            report.invalidIndexes().forEach(i -> out.println("invalid index: " + i));
            report.excessPrivileges().forEach(p -> out.println("privileges: " + p));
        }
        out.flush();
        if (!report.installed()) return ExitCode.SCHEMA_NOT_READY.code();
        return report.ok() ? ExitCode.OK.code() : ExitCode.SCHEMA_DIFFERS.code();
    }
}
