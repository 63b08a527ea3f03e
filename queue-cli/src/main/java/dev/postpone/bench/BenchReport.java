package dev.postpone.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The measurements of one run, printed as a table for people or as JSON for scripts. */
public record BenchReport(Map<String, String> environment, List<Measurement> measurements) {

    public BenchReport {
        environment = Map.copyOf(environment);
        measurements = List.copyOf(measurements);
    }

    public Optional<Measurement> find(String key) {
        return measurements.stream().filter(m -> m.key().equals(key)).findFirst();
    }

    /** Median of this measurement divided by the median of the one it is compared with. */
    public Optional<Double> ratio(Measurement m) {
        if (m.ratioTo() == null) return Optional.empty();
        return find(m.ratioTo()).map(base -> m.median() / base.median());
    }

    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"scenario", "measurement", "median", "min .. max", "runs", "vs"});
        for (Measurement m : measurements) {
            rows.add(new String[] {m.scenario(), m.name(), format(m.median(), m.unit()),
                    format(m.min(), "") + " .. " + format(m.max(), ""), String.valueOf(m.values().size()),
                    ratio(m).map(r -> String.format(Locale.ROOT, "%.2f× %s", r, m.ratioTo())).orElse("")});
        }
        int[] widths = new int[rows.getFirst().length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].length());
        StringBuilder out = new StringBuilder();
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        out.append('\n');
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                boolean numeric = i == 2 || i == 3;
                String cell = numeric ? " ".repeat(widths[i] - r[i].length()) + r[i] : r[i] + " ".repeat(widths[i] - r[i].length());
                out.append(cell).append(i + 1 < r.length ? "  " : "");
            }
            out.append('\n');
        }
        return out.toString();
    }

    public String json(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode env = root.putObject("environment");
        environment.forEach(env::put);
        ArrayNode list = root.putArray("measurements");
        for (Measurement m : measurements) {
            ObjectNode n = list.addObject();
            n.put("scenario", m.scenario());
            n.put("name", m.name());
            n.put("unit", m.unit());
            n.put("median", m.median());
            n.put("min", m.min());
            n.put("max", m.max());
            ArrayNode values = n.putArray("values");
            m.values().forEach(values::add);
            ratio(m).ifPresent(r -> {
                n.put("ratio", r);
                n.put("ratio_to", m.ratioTo());
            });
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String format(double value, String unit) {
        if (Double.isNaN(value)) return "-";
        String number = Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
        return unit.isEmpty() ? number : number + " " + unit;
    }
}
