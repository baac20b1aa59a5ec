package org.recoveryoutcomes.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SoakBenchmarkTest {

    @Test
    void theHeapSlopeIsTheLeastSquaresLineThroughTheSamples() {
        // x̄ = 1, ȳ = 2; Σ(x-x̄)(y-ȳ) = (-1)(-1) + 0 + (1)(0) = 1; Σ(x-x̄)² = 2 → 0.5 MB/min
        List<SoakBenchmark.HeapSample> samples = List.of(new SoakBenchmark.HeapSample(0, 1), new SoakBenchmark.HeapSample(1, 3),
                new SoakBenchmark.HeapSample(2, 2));
        assertThat(SoakBenchmark.slope(samples)).isCloseTo(0.5, within(1e-12));
        assertThat(SoakBenchmark.slope(List.of(new SoakBenchmark.HeapSample(0, 5), new SoakBenchmark.HeapSample(4, 5)))).isZero();
        assertThat(SoakBenchmark.slope(List.of(new SoakBenchmark.HeapSample(0, 5)))).isNaN();
    }

    @Test
    void theUsedHeapOfG1IsItsOneHeapLineWithoutMetaspace() {
        String g1 = """
                4242:
                 garbage-first heap   total 262144K, used 102400K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 1 young (1024K), 0 survivors (0K)
                 Metaspace       used 150000K, committed 151000K, reserved 1179648K
                  class space    used 20000K, committed 21000K, reserved 1048576K
                """;
        assertThat(SoakBenchmark.usedMb(g1)).isEqualTo(100.0);
    }

    @Test
    void theUsedHeapOfTheSerialCollectorIsTheSumOfItsGenerations() {
        String serial = """
                4242:
                 def new generation   total 9792K, used 1024K [0x00000000c0000000, 0x00000000c0aa0000, 0x00000000d5550000)
                  eden space 8704K,  11% used [0x00000000c0000000, 0x00000000c0100000, 0x00000000c0880000)
                  from space 1088K,   0% used [0x00000000c0880000, 0x00000000c0880000, 0x00000000c0990000)
                 tenured generation   total 21888K, used 2048K [0x00000000d5550000, 0x00000000d6ab0000, 0x0000000100000000)
                   the space 21888K,   9% used [0x00000000d5550000, 0x00000000d5750000, 0x00000000d5750200, 0x00000000d6ab0000)
                 Metaspace       used 5000K, committed 5120K, reserved 1056768K
                """;
        assertThat(SoakBenchmark.usedMb(serial)).isEqualTo(3.0);
    }
}
