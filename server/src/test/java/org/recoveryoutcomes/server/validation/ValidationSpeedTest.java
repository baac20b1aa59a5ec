package org.recoveryoutcomes.server.validation;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.scoring.SdcForm;
import org.recoveryoutcomes.server.scoring.SdcForms;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** A measurement, not a timed assertion: in-process validation of a valid 15-item QPR-15 response. */
@ServerTest
class ValidationSpeedTest {

    private static final Logger log = LoggerFactory.getLogger(ValidationSpeedTest.class);

    @Autowired
    FhirContext fhirContext;
    @Autowired
    SdcForms forms;
    @Autowired
    ResponseValidator validator;

    @Test
    void validatingAFifteenItemResponseInProcessIsMeasured() throws Exception {
        QuestionnaireResponse qr = fhirContext.newJsonParser().parseResource(QuestionnaireResponse.class,
                Files.readString(ResponseValidationTest.golden("qpr-15/qpr-15-mixed.json")));
        SdcForm form = forms.find(qr.getQuestionnaire()).orElseThrow();
        for (int i = 0; i < 5_000; i++) {
            validator.validate(form, qr);
        }
        long[] nanos = new long[10_000];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            assertThat(validator.validate(forms.find(qr.getQuestionnaire()).orElseThrow(), qr)).isEmpty();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        log.info("validation of a QPR-15 response in-process over {} runs: p50 {} µs, p90 {} µs, p99 {} µs", nanos.length,
                nanos[nanos.length / 2] / 1000.0, nanos[nanos.length * 9 / 10] / 1000.0, nanos[nanos.length * 99 / 100] / 1000.0);
    }
}
