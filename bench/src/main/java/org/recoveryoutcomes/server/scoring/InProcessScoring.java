package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The server's scoring engine wired by hand, without Spring or a database: the same classes the server's
 * {@code $score} and write pipeline use ({@link ResponseScoring} over {@link ScoreCalculator}, {@link SdcFhirPath},
 * {@link Enablement}), with the Questionnaire compiled once, as the server caches it. This class sits in the engine's
 * package on the bench module's class path, so the server needs no public API for it. Stored terminology is not
 * reachable (the DaoRegistry is empty): WEMWBS carries its weights on its answerOptions and needs none.
 */
final class InProcessScoring {

    static final String QUESTIONNAIRE = "fhir-packages/recovery-outcomes.questionnaires/package/Questionnaire-wemwbs.json";
    static final String RESPONSE = "golden/wemwbs/wemwbs-mixed.json";

    final SdcForm form;
    final QuestionnaireResponse response;
    private final ResponseScoring scoring;

    InProcessScoring() {
        FhirContext fhir = FhirContext.forR4Cached();
        IValidationSupport validationSupport = fhir.getValidationSupport();
        ScoringSettings settings = new ScoringSettings(true, 10, 500, 10);
        CanonicalResources canonicals = new CanonicalResources(new DaoRegistry(fhir), settings);
        Terminology terminology = new Terminology(canonicals, validationSupport, settings);
        SdcFhirPath fhirPath = new SdcFhirPath(fhir, validationSupport, terminology);
        this.scoring = new ResponseScoring(new ScoreCalculator(fhirPath, settings), new Enablement(fhirPath), settings);
        this.form = new SdcForms(canonicals, fhirPath, settings).compile(fhir.newJsonParser().parseResource(Questionnaire.class, read(QUESTIONNAIRE)));
        this.response = fhir.newJsonParser().parseResource(QuestionnaireResponse.class, read(RESPONSE));
    }

    ResponseScoring.Scored score() {
        return scoring.score(form, response);
    }

    /** The first score's value, e.g. "46" for the golden mixed response. */
    String total() {
        return score().scores().get(0).values().get(0).primitiveValue();
    }

    private static String read(String resource) {
        try (InputStream in = InProcessScoring.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
