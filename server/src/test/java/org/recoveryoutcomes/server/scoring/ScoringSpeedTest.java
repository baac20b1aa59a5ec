package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A measurement, not a timed assertion: in-process $score of a WEMWBS response (compiled Questionnaire cached, as in
 * the server). Prints p50/p90/p99; only the score itself is checked (hand calculation 46).
 */
@ServerTest
class ScoringSpeedTest {

    private static final Logger log = LoggerFactory.getLogger(ScoringSpeedTest.class);

    @Autowired
    FhirContext fhirContext;
    @Autowired
    SdcForms forms;
    @Autowired
    ResponseScoring scoring;

    @Test
    void scoringAWemwbsResponseInProcessIsMeasured() {
        QuestionnaireResponse qr = fhirContext.newJsonParser().parseResource(QuestionnaireResponse.class,
                Repo.read(Repo.path("questionnaires/src/test/golden/wemwbs/wemwbs-mixed.json")));
        SdcForm form = forms.find(qr.getQuestionnaire()).orElseThrow();
        for (int i = 0; i < 5_000; i++) {
            scoring.score(form, qr);
        }
        long[] nanos = new long[10_000];
        ResponseScoring.Scored last = null;
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            last = scoring.score(forms.find(qr.getQuestionnaire()).orElseThrow(), qr);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        log.info("$score WEMWBS in-process over {} runs: p50 {} µs, p90 {} µs, p99 {} µs", nanos.length,
                nanos[nanos.length / 2] / 1000.0, nanos[nanos.length * 9 / 10] / 1000.0, nanos[nanos.length * 99 / 100] / 1000.0);
        assertThat(last.scores().get(0).values().get(0).primitiveValue()).isEqualTo("46");
    }
}
