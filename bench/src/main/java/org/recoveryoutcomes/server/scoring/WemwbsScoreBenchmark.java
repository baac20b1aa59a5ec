package org.recoveryoutcomes.server.scoring;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: {@code $score} of a WEMWBS response in-process (the engine behind the operation, without HTTP and parsing).
 * Run by the bench command (ScoreBenchmark), sample-time mode, so the figure is a p50 of single calls.
 */
@State(Scope.Thread)
public class WemwbsScoreBenchmark {

    private InProcessScoring engine;

    @Setup
    public void setUp() {
        engine = new InProcessScoring();
        if (!"46".equals(engine.total())) {
            throw new IllegalStateException("WEMWBS golden 'mixed' must score 46, not " + engine.total());
        }
    }

    @Benchmark
    public Object score() {
        return engine.score();
    }
}
