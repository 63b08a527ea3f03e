package dev.postpone.cli;

import picocli.CommandLine.Command;

/** {@code postpone schema …}: install and upgrade the database schema. */
@Command(name = "schema",
        description = "Inspect, plan and apply the database schema's migrations (see docs/schema-and-upgrades.md).",
        mixinStandardHelpOptions = true,
        subcommands = {
                SchemaStatusCommand.class,
                SchemaPlanCommand.class,
                SchemaMigrateCommand.class,
                SchemaVerifyCommand.class,
                SchemaGrantCommand.class,
                SchemaPrintCommand.class,
        })
final class SchemaCommand {
}
