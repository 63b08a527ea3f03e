package dev.postpone.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.schema.Release;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The functions the Java code calls (some by several statements) are exactly those the release's contract file lists, with the same arity. */
class SqlFunctionContractTest {

    private static final Pattern LINE = Pattern.compile("([a-z0-9_]+)\\((.*)\\) -> .*");

    @Test
    void javaCallsExactlyTheContractFunctions() throws IOException {
        Map<String, Integer> contract = contractArities();
        Set<Map.Entry<String, Integer>> calls = Arrays.stream(SqlFunction.values())
                .map(f -> Map.entry(f.functionName(), f.arity())).collect(Collectors.toSet());
        assertThat(calls).as("functions called, with their arity").isEqualTo(contract.entrySet());
    }

    @Test
    void everyStatementPassesOneParameterPerArgument() {
        for (SqlFunction f : SqlFunction.values()) {
            long placeholders = f.sql(dev.postpone.schema.SchemaName.DEFAULT).chars().filter(ch -> ch == '?').count();
            assertThat(placeholders).as(f.functionName()).isEqualTo(f.arity());
            assertThat(f.sql(dev.postpone.schema.SchemaName.DEFAULT)).doesNotContain("*");
        }
    }

    private static Map<String, Integer> contractArities() throws IOException {
        String path = "/dev/postpone/schema/contracts/" + Release.current() + ".contract";
        try (InputStream in = SqlFunctionContractTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(LINE::matcher)
                    .filter(Matcher::matches)
                    .collect(Collectors.toMap(m -> m.group(1),
                            m -> m.group(2).isBlank() ? 0 : m.group(2).split(",").length, (a, b) -> a));
        }
    }

}
