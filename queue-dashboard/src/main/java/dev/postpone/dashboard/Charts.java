package dev.postpone.dashboard;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Small inline SVG charts over a series of minutes: no script, no library, readable without colour too (titles on hover). */
final class Charts {

    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final int W = 640;
    private static final int H = 150;
    private static final int LEFT = 48;
    private static final int BOTTOM = 18;
    private static final int TOP = 8;

    private Charts() {
    }

    /** Stacked bars per minute: succeeded below, failed on top. */
    static void throughput(Html h, List<Instant> minutes, long[] succeeded, long[] failed, boolean[] estimated) {
        long max = 1;
        for (int i = 0; i < minutes.size(); i++) max = Math.max(max, succeeded[i] + failed[i]);
        long top = niceCeiling(max);
        open(h, "Jobs finished per minute");
        axis(h, minutes, Pages.number(top), Pages.number(top / 2));
        double slot = (double) (W - LEFT) / minutes.size();
        for (int i = 0; i < minutes.size(); i++) {
            double x = LEFT + i * slot + 1;
            double okH = scale(succeeded[i], top);
            double badH = scale(failed[i], top);
            String tip = HOUR_MINUTE.format(minutes.get(i)) + " UTC: " + (estimated[i] ? "about " : "")
                    + Pages.number(succeeded[i]) + " succeeded, " + Pages.number(failed[i]) + " failed";
            h.open("g", "class", "bar").open("title").text(tip).close("title");
            // A transparent full-height target so the tooltip shows over empty minutes too.
            h.open("rect", "x", fmt(x), "y", fmt(TOP), "width", fmt(slot - 1), "height", fmt(H - BOTTOM - TOP), "class", "hit").close("rect");
            if (okH > 0) h.open("rect", "x", fmt(x), "y", fmt(H - BOTTOM - okH), "width", fmt(slot - 2), "height", fmt(okH), "class", "ok").close("rect");
            if (badH > 0) h.open("rect", "x", fmt(x), "y", fmt(H - BOTTOM - okH - badH), "width", fmt(slot - 2), "height", fmt(badH), "class", "bad").close("rect");
            h.close("g");
        }
        h.close("svg");
    }

    /** Two lines per minute (p50 and p95 of the wait before start); gaps where no job finished. */
    static void waits(Html h, List<Instant> minutes, Double[] p50, Double[] p95) {
        double max = 1;
        for (Double v : p95) if (v != null) max = Math.max(max, v);
        for (Double v : p50) if (v != null) max = Math.max(max, v);
        long top = niceCeiling((long) Math.ceil(max));
        open(h, "Wait from due to start (ms)");
        axis(h, minutes, Pages.millis((double) top), Pages.millis(top / 2.0));
        line(h, minutes, p95, top, "p95");
        line(h, minutes, p50, top, "p50");
        h.close("svg");
    }

    private static void line(Html h, List<Instant> minutes, Double[] values, long top, String cls) {
        double slot = (double) (W - LEFT) / minutes.size();
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                pen = false;
                continue;
            }
            double x = LEFT + i * slot + slot / 2;
            double y = H - BOTTOM - scale(values[i], top);
            d.append(pen ? " L" : " M").append(fmt(x)).append(' ').append(fmt(y));
            pen = true;
        }
        if (!d.isEmpty()) h.open("path", "d", d.toString().strip(), "class", "line " + cls).close("path");
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) continue;
            double x = LEFT + i * slot + slot / 2;
            double y = H - BOTTOM - scale(values[i], top);
            h.open("circle", "cx", fmt(x), "cy", fmt(y), "r", "2.2", "class", "dot " + cls)
                    .open("title").text(HOUR_MINUTE.format(minutes.get(i)) + " UTC " + cls + ": " + Pages.millis(values[i])).close("title")
                    .close("circle");
        }
    }

    private static void open(Html h, String label) {
        h.open("svg", "viewBox", "0 0 " + W + " " + H, "class", "chart", "role", "img", "aria-label", label,
                "xmlns", "http://www.w3.org/2000/svg");
    }

    private static void axis(Html h, List<Instant> minutes, String topLabel, String midLabel) {
        int base = H - BOTTOM;
        int mid = TOP + (base - TOP) / 2;
        h.open("line", "x1", fmt(LEFT), "x2", fmt(W), "y1", fmt(TOP), "y2", fmt(TOP), "class", "grid").close("line");
        h.open("line", "x1", fmt(LEFT), "x2", fmt(W), "y1", fmt(mid), "y2", fmt(mid), "class", "grid").close("line");
        h.open("line", "x1", fmt(LEFT), "x2", fmt(W), "y1", fmt(base), "y2", fmt(base), "class", "axis").close("line");
        h.open("text", "x", fmt(LEFT - 6), "y", fmt(TOP + 4), "class", "tick end").text(topLabel).close("text");
        h.open("text", "x", fmt(LEFT - 6), "y", fmt(mid + 4), "class", "tick end").text(midLabel).close("text");
        h.open("text", "x", fmt(LEFT - 6), "y", fmt(base + 4), "class", "tick end").text("0").close("text");
        if (minutes.isEmpty()) return;
        h.open("text", "x", fmt(LEFT), "y", fmt(H - 3), "class", "tick").text(HOUR_MINUTE.format(minutes.getFirst())).close("text");
        h.open("text", "x", fmt(LEFT + (W - LEFT) / 2.0), "y", fmt(H - 3), "class", "tick middle")
                .text(HOUR_MINUTE.format(minutes.get(minutes.size() / 2))).close("text");
        h.open("text", "x", fmt(W - 2), "y", fmt(H - 3), "class", "tick end").text(HOUR_MINUTE.format(minutes.getLast()) + " UTC").close("text");
    }

    private static double scale(double v, long top) {
        return v <= 0 ? 0 : Math.max(1, v / top * (H - BOTTOM - TOP));
    }

    /** 1, 2, 5 × 10^n at or above v. */
    static long niceCeiling(long v) {
        long p = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * p >= v) return m * p;
            }
            p *= 10;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
