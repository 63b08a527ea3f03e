package dev.postpone.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark figure over its repetitions: the median is reported, with the spread (min..max),
 * because single runs on a shared 2-core machine swing widely.
 *
 * @param ratioTo name of the measurement this one is compared with (e.g. the ceiling), or null
 */
public record Measurement(String scenario, String name, String unit, List<Double> values, String ratioTo) {

    public Measurement {
        values = List.copyOf(values);
    }

    public double median() {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    public String key() {
        return scenario + "/" + name;
    }
}
