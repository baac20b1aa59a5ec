package org.recoveryoutcomes.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import org.recoveryoutcomes.server.scoring.WemwbsScoreBenchmark;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Runs the JMH benchmark {@link WemwbsScoreBenchmark} in a forked JVM (sample-time mode) and reports its p50. */
final class ScoreBenchmark {

    private ScoreBenchmark() {
    }

    static void run(Plan plan, Results results) {
        Options options = new OptionsBuilder()
                .include(Pattern.quote(WemwbsScoreBenchmark.class.getName()) + "\\.score$")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS)
                .forks(plan.jmhForks()).threads(1)
                .warmupIterations(plan.jmhWarmups()).warmupTime(TimeValue.seconds(plan.jmhTime().toSeconds()))
                .measurementIterations(plan.jmhIterations())
                .measurementTime(TimeValue.seconds(plan.jmhTime().toSeconds()))
                .jvmArgs(Plan.SERVER_HEAP)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> run;
        try {
            run = new Runner(options).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
        Statistics s = run.iterator().next().getPrimaryResult().getStatistics();
        double p50 = s.getPercentile(50) / 1000.0;
        results.put("score_p50_ms", p50);
        results.note("score", "JMH %s, sample time, %d fork × %d warm-up + %d measured iterations of %d s, 1 thread, %s:"
                        + " %,d samples, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, mean %.3f ms",
                jmhVersion(), plan.jmhForks(), plan.jmhWarmups(),
                plan.jmhIterations(), plan.jmhTime().toSeconds(), Plan.SERVER_HEAP, s.getN(), p50, s.getPercentile(90) / 1000.0,
                s.getPercentile(99) / 1000.0, s.getMean() / 1000.0);
    }

    private static String jmhVersion() {
        String v = Runner.class.getPackage().getImplementationVersion();
        return v == null ? "" : v;
    }
}
