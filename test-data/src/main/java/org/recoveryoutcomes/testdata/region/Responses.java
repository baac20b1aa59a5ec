package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;

import java.time.LocalDate;

/**
 * Completed QuestionnaireResponses as a record system would submit them (recovery-questionnaire-response): an
 * identifier for idempotent submission, {@code questionnaire} = canonical|version, subject, authored, and the team or
 * trust as author. Score items are left to the server, which computes them.
 */
final class Responses {

    private final Instruments instruments;

    Responses(Instruments instruments) {
        this.instruments = instruments;
    }

    /**
     * @param source who gave the answers, when that is the subject themself (self-report); null otherwise
     */
    QuestionnaireResponse completed(String id, String questionnaireId, String subject, String author, String source,
            LocalDate day, int minute, ResponseFiller.Answers answers) {
        QuestionnaireResponse qr = Synthetic.mark(new QuestionnaireResponse(), id, "recovery-questionnaire-response");
        qr.setIdentifier(Synthetic.identifier(Synthetic.RESPONSE_SYSTEM, id));
        qr.setQuestionnaire(instruments.canonical(questionnaireId));
        qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setSubject(new Reference(subject));
        qr.setAuthoredElement(Synthetic.at(day, minute));
        qr.setAuthor(new Reference(author));
        if (source != null) {
            qr.setSource(new Reference(source));
        }
        qr.setItem(ResponseFiller.fill(instruments.questionnaire(questionnaireId), answers));
        return qr;
    }
}
