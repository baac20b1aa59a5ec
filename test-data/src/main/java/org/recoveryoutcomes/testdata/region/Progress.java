package org.recoveryoutcomes.testdata.region;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar with the rate on stderr: redrawn in place on a terminal, a line every ten seconds otherwise
 * (logs, CI), and a summary line at the end.
 */
final class Progress {

    private static final int WIDTH = 30;

    private final String verb;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong resources = new AtomicLong();
    private long lastDraw;

    /** @param unit what {@code total} counts: "people" when generating, "bundles" when loading files */
    Progress(String verb, long total, String unit, PrintStream out, boolean terminal) {
        this.verb = verb;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
    }

    void done(RegionBundle bundle) {
        done(bundle.people(), bundle.resources());
    }

    void done(long units, long resourceCount) {
        done.addAndGet(units);
        resources.addAndGet(resourceCount);
        long now = System.nanoTime();
        synchronized (this) {
            if (now - lastDraw >= (terminal ? 200_000_000L : 10_000_000_000L)) {
                lastDraw = now;
                out.print(terminal ? "\r" + line() : line() + System.lineSeparator());
                out.flush();
            }
        }
    }

    double resourcesPerSecond() {
        return resources.get() / Math.max(1e-9, seconds());
    }

    private boolean finished;

    /** Prints the summary (once) and returns it. */
    synchronized String finish() {
        if (finished) {
            return "";
        }
        finished = true;
        String summary = String.format(Locale.ROOT, "%s %,d %s, %,d resources in %s: %,.0f resources/s, %,.1f %s/s",
                verb, done.get(), unit, resources.get(), duration(seconds()), resourcesPerSecond(), done.get() / Math.max(1e-9, seconds()), unit);
        out.print((terminal ? "\r" + line() + System.lineSeparator() : "") + summary + System.lineSeparator());
        out.flush();
        return summary;
    }

    private String line() {
        double share = total == 0 ? 1 : Math.min(1.0, (double) done.get() / total);
        int filled = (int) Math.round(share * WIDTH);
        double rate = resourcesPerSecond();
        double unitRate = done.get() / Math.max(1e-9, seconds());
        String eta = unitRate > 0 && share < 1 ? " ETA " + duration((total - done.get()) / unitRate) : "";
        return String.format(Locale.ROOT, "[%s%s] %3.0f%% %,d/%,d %s  %,d resources  %,.0f res/s%s   ",
                "#".repeat(filled), ".".repeat(WIDTH - filled), share * 100, done.get(), total, unit, resources.get(), rate, eta);
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static String duration(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm%02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : d.toMinutes() > 0 ? String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
