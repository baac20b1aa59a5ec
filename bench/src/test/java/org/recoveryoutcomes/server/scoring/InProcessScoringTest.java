package org.recoveryoutcomes.server.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness of the $score benchmark works: the hand-wired engine scores the golden response as the server does. */
class InProcessScoringTest {

    @Test
    void theHandWiredEngineScoresTheGoldenWemwbsResponse() {
        InProcessScoring engine = new InProcessScoring();
        assertThat(engine.total()).isEqualTo("46");
        assertThat(engine.score().scores()).allSatisfy(s -> assertThat(s.why()).isNull());
    }
}
