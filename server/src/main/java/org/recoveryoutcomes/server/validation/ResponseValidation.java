package org.recoveryoutcomes.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.recoveryoutcomes.server.scoring.ScoringSettings;
import org.recoveryoutcomes.server.scoring.SdcForm;
import org.recoveryoutcomes.server.scoring.SdcForms;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rejects a completed or amended QuestionnaireResponse that does not conform to the Questionnaire it names with 422
 * and one OperationOutcome issue per problem, before anything is stored (the exception rolls back the whole
 * transaction, so a transaction Bundle containing it stores nothing). Other statuses are stored unchecked.
 * Switched off with {@code recovery.scoring.enabled=false}.
 */
@Component
@Interceptor
class ResponseValidation implements FhirInterceptor {

    private final FhirContext fhirContext;
    private final ScoringSettings settings;
    private final SdcForms forms;
    private final ResponseValidator validator;

    ResponseValidation(FhirContext fhirContext, ScoringSettings settings, SdcForms forms, ResponseValidator validator) {
        this.fhirContext = fhirContext;
        this.settings = settings;
        this.forms = forms;
        this.validator = validator;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -100)
    public void created(IBaseResource resource) {
        check(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -100)
    public void updated(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    private void check(IBaseResource resource) {
        if (!settings.enabled() || !(resource instanceof QuestionnaireResponse qr)
                || qr.getStatus() != QuestionnaireResponseStatus.COMPLETED && qr.getStatus() != QuestionnaireResponseStatus.AMENDED) {
            return;
        }
        List<ResponseValidator.Issue> issues = new ArrayList<>();
        if (!qr.hasSubject()) {
            issues.add(new ResponseValidator.Issue(IssueType.REQUIRED, "QuestionnaireResponse.subject",
                    "a " + qr.getStatus().toCode() + " response needs a subject"));
        }
        if (!qr.hasAuthored()) {
            issues.add(new ResponseValidator.Issue(IssueType.REQUIRED, "QuestionnaireResponse.authored",
                    "a " + qr.getStatus().toCode() + " response needs authored (when the answers were given)"));
        }
        if (!qr.hasQuestionnaire()) {
            issues.add(new ResponseValidator.Issue(IssueType.REQUIRED, "QuestionnaireResponse.questionnaire",
                    "a " + qr.getStatus().toCode() + " response must name its Questionnaire"));
        } else {
            Optional<SdcForm> form = forms.find(qr.getQuestionnaire());
            if (form.isEmpty()) {
                issues.add(new ResponseValidator.Issue(IssueType.NOTFOUND, "QuestionnaireResponse.questionnaire",
                        "the Questionnaire " + qr.getQuestionnaire() + " is not known to this server, so the response cannot be checked"));
            } else {
                issues.addAll(validator.validate(form.get(), qr));
            }
        }
        if (!issues.isEmpty()) {
            OperationOutcome oo = new OperationOutcome();
            for (ResponseValidator.Issue i : issues) {
                oo.addIssue().setSeverity(IssueSeverity.ERROR).setCode(i.type()).setDiagnostics(i.message())
                        .addExpression(i.expression()).addLocation(i.expression());
            }
            throw new UnprocessableEntityException(fhirContext, oo);
        }
    }
}
